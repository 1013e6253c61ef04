using Xen.XenStore.Fuzz;

namespace Xen.XenStore.Tests.Fuzz;

/// <summary>
/// Replays the committed SharpFuzz corpus through both targets (the targets throw on any finding), and runs a
/// short deterministic mutation pass over it so CI exercises more than the seeds.
/// </summary>
public class CorpusReplayTests
{
    public static TheoryData<string, string> Seeds()
    {
        var data = new TheoryData<string, string>();
        foreach (var target in new[] { "decoder", "ring" })
        {
            foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "corpus", target)).Order(StringComparer.Ordinal))
            {
                data.Add(target, Path.GetFileName(file));
            }
        }
        return data;
    }

    [Fact]
    public void CorpusCoversBothTargets()
    {
        Assert.True(Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "corpus", "decoder")).Length >= 10);
        Assert.True(Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "corpus", "ring")).Length >= 5);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void SeedReplaysCleanly(string target, string name)
    {
        var input = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "corpus", target, name));
        Run(target, input);
    }

    [Theory]
    [InlineData("decoder")]
    [InlineData("ring")]
    public void MutatedSeedsReplayCleanly(string target)
    {
        var random = new Random(4017);
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "corpus", target)))
        {
            var seed = File.ReadAllBytes(file);
            for (int i = 0; i < 100; i++) Run(target, Mutate(seed, random));
        }
    }

    private static void Run(string target, byte[] input)
    {
        if (target == "decoder") FuzzTargets.Decoder(input);
        else FuzzTargets.Ring(input);
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = seed.ToList();
        int edits = 1 + random.Next(4);
        for (int e = 0; e < edits && bytes.Count > 0; e++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0: bytes[at] = (byte)random.Next(256); break;
                case 1: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 2: bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + random.Next(8))); break;
                default: bytes.InsertRange(at, Enumerable.Range(0, 1 + random.Next(8)).Select(_ => (byte)random.Next(256))); break;
            }
        }
        return bytes.ToArray();
    }
}
