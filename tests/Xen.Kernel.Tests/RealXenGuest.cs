namespace Xen.Kernel.Tests;

/// <summary>
/// One `realxen run` boot whose dom0 creates the kernel as a PVH guest with a disk (kernel blkback through
/// realxen's vbd hotplug script) and a vif (netback on xenbr0), waits for its watch on control/shutdown (its line
/// in `xl dmesg`), reads the given keys of its home with xenstore-read, runs `xl shutdown` and waits for the domain
/// to go. Every wait in dom0 is bounded.
/// </summary>
internal static class RealXenGuest
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string Report => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
    }

    public static Result Run(string elf, IEnumerable<string> keys)
    {
        var work = Directory.CreateTempSubdirectory("xen-kernel-realxen-").FullName;
        try
        {
            var scripts = Path.Combine(KernelImage.Root, "tools", "realxen", "Scripts");
            var reads = string.Concat(keys.Select(k => $"echo \"== key {k} = $(xenstore-read /local/domain/$domid/{k})\"\n"));
            var script = Path.Combine(work, "dom0.sh");
            File.WriteAllText(script, $$"""
                for s in vbd-hotplug.sh vif-hotplug.sh; do cp "{{scripts}}/$s" /tmp/$s && chmod +x /tmp/$s || exit 11; done
                truncate -s 16M /tmp/xen-kernel-disk.img || exit 12
                cat > /tmp/xen-kernel.cfg <<CFG
                name = "xenkernel"
                type = "pvh"
                kernel = "{{elf}}"
                memory = 32
                vcpus = 1
                on_poweroff = "destroy"
                on_crash = "preserve"
                disk = [ "format=raw,vdev=xvda,access=rw,backendtype=phy,script=/tmp/vbd-hotplug.sh,target=/tmp/xen-kernel-disk.img" ]
                vif = [ "bridge=xenbr0,script=/tmp/vif-hotplug.sh" ]
                CFG
                echo "== create $(date +%s.%N)"
                xl create /tmp/xen-kernel.cfg || exit 10
                domid=$(xl domid xenkernel) || exit 13
                echo "== domid $domid"
                watching=no
                for i in $(seq 1 600); do
                  if xl dmesg | grep -q "(d$domid) xen0: watching control/shutdown"; then watching=yes; break; fi
                  xl list xenkernel >/dev/null 2>&1 || break
                  sleep 1
                done
                echo "== watching $watching $(date +%s.%N)"
                {{reads}}
                xl shutdown xenkernel
                gone=no
                for i in $(seq 1 600); do xl list xenkernel >/dev/null 2>&1 || { gone=yes; break; }; sleep 1; done
                echo "== gone $gone"
                """.Replace("\r", ""));
            var realxen = Path.Combine(KernelImage.Root, "tools", "realxen", "bin", "Release", "net10.0", "realxen.dll");
            var run = Processes.Run("dotnet", [realxen, "run", "--verbose", "--timeout", "3000", "--", "sh", script], TimeSpan.FromMinutes(60));
            return new Result(run.ExitCode, run.Stdout, run.Stderr);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
