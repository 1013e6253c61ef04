namespace Xen.Kernel.Tests;

/// <summary>
/// tools/xensim with the configuration the real-Xen test gives the kernel (2-level event channels, the domain's
/// name, one disk, one vif), stopped after a few seconds by its own control/shutdown request: the nexus's attach log.
/// </summary>
internal static class Xensim
{
    public static IReadOnlyList<string> AttachLog()
    {
        var work = Directory.CreateTempSubdirectory("xen-kernel-xensim-").FullName;
        try
        {
            var disk = Path.Combine(work, "disk.img");
            using (var file = File.Create(disk)) file.SetLength(16 << 20);
            var xensim = Path.Combine(KernelImage.Root, "tools", "xensim", "bin", "Release", "net10.0", "xensim.dll");
            var run = Processes.Run("dotnet", [xensim, "run", "--events", "2l", "--name", "xenkernel", "--disk", disk, "--nic", "", "--for", "3"], TimeSpan.FromMinutes(10));
            if (run.ExitCode != 0)
                throw new InvalidOperationException($"xensim run failed ({run.ExitCode}):\n{run.Stdout}\n{run.Stderr}");
            return (run.Stdout + "\n" + run.Stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()).ToList();
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
