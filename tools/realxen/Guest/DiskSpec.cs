namespace XenGen.RealXen.Guest;

/// <summary>Who serves a guest's disk.</summary>
internal enum DiskBackend
{
    /// <summary>Linux's xen-blkback in dom0 (libxl's <c>backendtype=phy</c>; a file goes through a loop device).</summary>
    Kernel,
    /// <summary>QEMU's qdisk in dom0, started by realxen for the guest (see <see cref="QdiskBackend"/>).</summary>
    Qdisk,
    /// <summary>realxen writes the XenStore nodes (dom0's <c>backend/standalone</c>) and nobody serves them: a backend of ours does (see <see cref="DiskNodes"/>).</summary>
    Standalone,
}

/// <summary>One <c>--disk FILE[,backend=kernel|qdisk|standalone]</c>.</summary>
internal sealed record DiskSpec(string File, DiskBackend Backend)
{
    /// <summary>Parses the option's value; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static DiskSpec Parse(string value)
    {
        var parts = value.Split(',');
        if (parts[0].Length == 0) throw new FormatException($"--disk '{value}': no file");
        var backend = DiskBackend.Kernel;
        foreach (var part in parts.Skip(1))
        {
            backend = part switch
            {
                "backend=kernel" => DiskBackend.Kernel,
                "backend=qdisk" => DiskBackend.Qdisk,
                "backend=standalone" => DiskBackend.Standalone,
                _ => throw new FormatException($"--disk '{value}': '{part}' is not backend=kernel, backend=qdisk or backend=standalone"),
            };
        }
        return new DiskSpec(Path.GetFullPath(parts[0]), backend);
    }
}
