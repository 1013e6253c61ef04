namespace XenGen.HeaderImporter;

/// <summary>An architecture the headers are imported for, and the clang target triple that stands for it.</summary>
public sealed record TargetArch(string Name, string Triple, string Family)
{
    /// <summary>64-bit x86.</summary>
    public static TargetArch X86_64 { get; } = new("x86_64", "x86_64-linux-gnu", "x86");

    /// <summary>32-bit x86.</summary>
    public static TargetArch X86_32 { get; } = new("x86_32", "i686-linux-gnu", "x86");

    /// <summary>64-bit Arm.</summary>
    public static TargetArch Arm64 { get; } = new("arm64", "aarch64-linux-gnu", "arm");

    /// <summary>32-bit Arm (hard-float EABI).</summary>
    public static TargetArch Arm32 { get; } = new("arm32", "armv7a-linux-gnueabihf", "arm");

    /// <summary>Every supported architecture, in the order models are written.</summary>
    public static IReadOnlyList<TargetArch> All { get; } = [X86_64, X86_32, Arm64, Arm32];

    /// <summary>The architecture called <paramref name="name"/>; an error lists the known names.</summary>
    public static TargetArch Parse(string name) =>
        All.FirstOrDefault(a => a.Name == name)
        ?? throw new ArgumentException($"unknown architecture '{name}'; known: {string.Join(", ", All.Select(a => a.Name))}");
}
