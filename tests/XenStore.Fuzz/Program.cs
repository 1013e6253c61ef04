using SharpFuzz;

namespace Xen.XenStore.Fuzz;

/// <summary>Entry point: <c>XenStore.Fuzz decoder|ring [libfuzzer|afl]</c>, or <c>XenStore.Fuzz replay DIR...</c>.</summary>
public static class Program
{
    /// <summary>Runs one target under libFuzzer (default) or AFL, or replays corpus directories.</summary>
    /// <param name="args">The target and the engine.</param>
    /// <returns>0, or 2 for bad arguments.</returns>
    public static int Main(string[] args)
    {
        if (args.Length >= 1 && args[0] == "replay")
        {
            foreach (var directory in args.Skip(1))
            {
                foreach (var file in Directory.GetFiles(directory))
                {
                    Target(Path.GetFileName(directory))(File.ReadAllBytes(file));
                }
            }
            return 0;
        }
        if (args.Length < 1 || args[0] is not ("decoder" or "ring"))
        {
            Console.Error.WriteLine("usage: XenStore.Fuzz decoder|ring [libfuzzer|afl]   or   XenStore.Fuzz replay corpus/decoder corpus/ring");
            return 2;
        }
        var target = Target(args[0]);
        if (args.Length > 1 && args[1] == "afl")
        {
            Fuzzer.OutOfProcess.Run(stream =>
            {
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                target(copy.ToArray());
            });
        }
        else
        {
            Fuzzer.LibFuzzer.Run(span => target(span));
        }
        return 0;
    }

    private delegate void TargetAction(ReadOnlySpan<byte> input);

    private static TargetAction Target(string name) => name switch
    {
        "decoder" => FuzzTargets.Decoder,
        "ring" => FuzzTargets.Ring,
        _ => throw new ArgumentException($"no fuzz target '{name}'"),
    };
}
