namespace Xen.Kernel.Tests;

/// <summary>
/// One boot of an image as a PVH kernel under plain QEMU (no KVM): QEMU's loader finds XEN_ELFNOTE_PHYS32_ENTRY,
/// the debug console on port 0xe9 goes to a file, isa-debug-exit on port 0xf4 gives the exit status (2*code+1).
/// </summary>
internal static class Qemu
{
    public static (int Status, string Log) BootPvh(string elf, string cmdline, string cpuVendor, TimeSpan timeout)
    {
        var log = Path.Combine(Path.GetDirectoryName(elf)!, $"debugcon-{Guid.NewGuid():N}.log");
        try
        {
            var run = Processes.Run("qemu-system-x86_64",
            [
                "-machine", "q35", "-m", "128", "-cpu", $"qemu64,vendor={cpuVendor}",
                "-kernel", elf, "-append", cmdline,
                "-debugcon", $"file:{log}", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                "-display", "none", "-nodefaults", "-no-reboot",
            ], timeout);
            var text = File.Exists(log) ? File.ReadAllText(log) : "";
            return (run.ExitCode, text + (run.Stderr.Length > 0 ? $"\n[qemu stderr] {run.Stderr}" : ""));
        }
        finally
        {
            File.Delete(log);
        }
    }
}
