using System.Text;
using XenGen.Interop;
using Xen.XenStore.Tests.Support;

namespace Xen.XenStore.Tests.Differential;

/// <summary>
/// The same seeded request sequences to Xen's C xenstored (4.20, on the socket with xenstored_nohv.c) and to
/// ours; every reply and every watch event must match, normalised only where the spec leaves it open.
/// </summary>
public class DifferentialTests
{
    private const int Steps = 400;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task OursAnswersEveryRequestAsCXenstoredDoes(int seed)
    {
        var script = RequestScript.Generate(seed, Steps);
        List<string> expected;
        using (var reference = ReferenceXenstored.Start())
        using (var session = new WireSession(reference.SocketPath))
        {
            try
            {
                expected = session.Play(script);
            }
            catch (IOException e)
            {
                throw new IOException($"seed {seed}: {e.Message}; {reference.Status()}", e);
            }
        }
        List<string> actual;
        await using (var ours = new SocketServerFixture())
        using (var session = new WireSession(ours.SocketPath))
        {
            try
            {
                actual = session.Play(script);
            }
            catch (IOException e)
            {
                throw new IOException($"seed {seed}: {e.Message}; our server's log:\n{string.Join("\n", ours.Log)}", e);
            }
        }
        AssertSame(seed, script, expected, actual);
    }

    /// <summary>The comparison can fail: two requests replaced (a write, then a read of a value no script writes) are caught.</summary>
    [Fact]
    public async Task ADifferentAnswerIsCaught()
    {
        var script = RequestScript.Generate(1, 50);
        await using var ours = new SocketServerFixture();
        List<string> first, second;
        using (var session = new WireSession(ours.SocketPath)) first = session.Play(script);
        await using var again = new SocketServerFixture();
        var mutated = script.ToList();
        mutated[10] = new ScriptStep(0, (uint)Xen.Abi.Io.XsdSockmsgType.XsWrite, "/mutant\01"u8.ToArray(), 0, 0);
        mutated[11] = new ScriptStep(0, (uint)Xen.Abi.Io.XsdSockmsgType.XsRead, "/mutant\0"u8.ToArray(), 0, 0);
        using (var session = new WireSession(again.SocketPath)) second = session.Play(mutated);
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => AssertSame(1, script, first, second));
    }

    private static void AssertSame(int seed, List<ScriptStep> script, List<string> expected, List<string> actual)
    {
        for (int i = 0; i < script.Count; i++)
        {
            if (expected[i] == actual[i]) continue;
            var context = new StringBuilder();
            for (int j = Math.Max(0, i - 6); j < i; j++) context.AppendLine($"  {j}: {script[j]} -> {expected[j]}");
            Assert.Fail($"seed {seed}, step {i}: {script[i]}\n  C xenstored: {expected[i]}\n  ours:        {actual[i]}\nbefore:\n{context}");
        }
    }
}
