using Xen.Abi.Io;
using Xunit;
using XenGen.Interop;
using XenGen.Tool.Headers;

namespace XenGen.Tests.Interop;

/// <summary>
/// The generated blkif front and back rings against ring_peer.c, which uses xen/io/ring.h's macros on the same
/// memory: a C# end and a C end in two processes over a MAP_SHARED file, ten million requests each way with every
/// payload checked and the indices starting 5000 short of 2^32; and the notify and final-check decisions of both
/// implementations compared step by step on seeded schedules.
/// </summary>
public sealed unsafe class RingInteropTests : IClassFixture<RingInteropTests.Peer>
{
    private const ulong Requests = 10_000_000;
    private const long RingBytes = 2 * 4096;          // a two-page ring (page order 1)
    private const uint Start = uint.MaxValue - 4999;  // wraps after 5000 requests
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);
    private readonly Peer _peer;

    public RingInteropTests(Peer peer) => _peer = peer;

    /// <summary>ring_peer built once for the class.</summary>
    public sealed class Peer
    {
        public Peer()
        {
            string include = HeaderCache.Default.IncludeDirOf("4.17.5");
            Program = CPeer.Build(Path.Combine(AppContext.BaseDirectory, "Peer"), include, Path.Combine(Path.GetTempPath(), "xengen-ring-peer-" + Environment.ProcessId));
        }

        public string Program { get; }
    }

    [Theory]
    [InlineData(1UL, 0u)]
    [InlineData(42UL, Start)]
    [InlineData(0xDEADBEEFUL, uint.MaxValue - 20)]
    [InlineData(7UL, 0x7FFFFFF0u)]
    public void NotifyAndFinalCheckDecisionsEqualRingH(ulong seed, uint start)
    {
        const ulong steps = 400_000;
        var (code, output) = CPeer.Run(_peer.Program, ["trace", seed.ToString(), steps.ToString(), start.ToString(), RingBytes.ToString()], Timeout);
        Assert.Equal(0, code);
        string c = output.Trim();
        Assert.Contains("errors=0 ", c);
        Assert.Equal(c, RingPeer.Trace(seed, steps, start, (int)RingBytes));
    }

    [Theory]
    [InlineData(5UL, 0u, 0)]
    [InlineData(9UL, uint.MaxValue - 3000, 0)]
    [InlineData(11UL, uint.MaxValue - 70000, 3)]
    public void FlexRingMatchesRingHPacketFunctions(ulong seed, uint start, int order)
    {
        const ulong steps = 100_000;
        var (code, output) = CPeer.Run(_peer.Program, ["flextrace", seed.ToString(), steps.ToString(), start.ToString(), order.ToString()], Timeout);
        Assert.Equal(0, code);
        string c = output.Trim();
        Assert.Contains("errors=0 ", c);
        Assert.Equal(c, RingPeer.FlexTrace(seed, steps, start, order));
    }

    [Fact]
    public void CFrontToCSharpBack() =>
        RunAgainstC("front", shared => RingPeer.RunBack(shared.Ring, shared.Control, RingBytes, Start, Requests, Timeout), cNotifiesGoToBack: true);

    [Fact]
    public void CSharpFrontToCBack() =>
        RunAgainstC("back", shared => RingPeer.RunFront(shared.Ring, shared.Control, RingBytes, Start, Requests, Timeout), cNotifiesGoToBack: false);

    /// <summary>Starts ring_peer as <paramref name="cRole"/> on a new shared file, runs the other end here, and checks both.</summary>
    private void RunAgainstC(string cRole, Func<SharedFile, PeerResult> csharpEnd, bool cNotifiesGoToBack)
    {
        using var shared = new SharedFile(RingBytes);
        using var c = CPeer.Start(_peer.Program, [cRole, shared.Path, RingBytes.ToString(), Start.ToString(), Requests.ToString()]);
        var result = csharpEnd(shared);
        Assert.True(c.WaitForExit(Timeout), $"the C {cRole} end did not finish");
        string cOutput = c.StandardOutput.ReadToEnd();
        Assert.True(c.ExitCode == 0, $"C {cRole} end: " + cOutput + c.StandardError.ReadToEnd());
        Assert.Equal(0, result.Code);
        AssertRun(shared, result, cNotifiesGoToBack);
    }

    private static void AssertRun(SharedFile shared, PeerResult csharp, bool cNotifiesGoToBack)
    {
        var c = shared.Control;
        Assert.Equal(1UL, Volatile.Read(ref c->PeerDone));
        Assert.Equal(0UL, c->PeerErrors);   // every payload the C end received was right
        Assert.Equal(0UL, csharp.Errors);   // every payload the C# end received was right
        // Each side's notify decisions are exactly the notifications the other side saw.
        Assert.Equal(c->PeerNotifies, cNotifiesGoToBack ? c->KicksToBack : c->KicksToFront);
        Assert.Equal(csharp.Notifies, cNotifiesGoToBack ? c->KicksToFront : c->KicksToBack);
        Assert.True(c->PeerNotifies + csharp.Notifies > 0, "no notification was ever needed");
        // All requests and responses went through, across the 2^32 wrap of the indices.
        uint end = unchecked(Start + (uint)Requests);
        Assert.True(end < Start);
        Assert.Equal(end, shared.Ring->ReqProd);
        Assert.Equal(end, shared.Ring->RspProd);
    }
}
