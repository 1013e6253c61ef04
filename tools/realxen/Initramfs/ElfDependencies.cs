namespace XenGen.RealXen.Initramfs;

/// <summary>The shared libraries and the interpreter a dynamically linked ELF program needs, as <c>ldd</c> resolves them.</summary>
internal static class ElfDependencies
{
    private static ReadOnlySpan<byte> ElfMagic => [0x7F, (byte)'E', (byte)'L', (byte)'F'];

    /// <summary>Whether <paramref name="file"/> starts with the ELF magic.</summary>
    public static bool IsElf(string file)
    {
        Span<byte> head = stackalloc byte[4];
        using var stream = File.OpenRead(file);
        return stream.ReadAtLeast(head, 4, throwOnEndOfStream: false) == 4 && head.SequenceEqual(ElfMagic);
    }

    /// <summary>The absolute paths of the libraries <paramref name="program"/> loads (none for a static program).</summary>
    public static IReadOnlyList<string> Of(string program)
    {
        var result = Host.ProcessRunner.Run("ldd", [program]);
        // ldd exits 1 with "not a dynamic executable" for static programs.
        if (result.ExitCode != 0) return [];
        var libraries = new List<string>();
        foreach (var raw in result.Output.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Contains("not found", StringComparison.Ordinal))
                throw new Host.RealXenException($"{program}: ldd cannot find {line.Split(' ')[0]}");
            var arrow = line.IndexOf("=> ", StringComparison.Ordinal);
            var path = (arrow >= 0 ? line[(arrow + 3)..] : line).Split(' ')[0];
            if (path.StartsWith('/')) libraries.Add(path);
        }
        return libraries;
    }
}
