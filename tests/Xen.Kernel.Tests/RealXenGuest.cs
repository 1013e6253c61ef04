namespace Xen.Kernel.Tests;

/// <summary>
/// One `realxen run` boot, with Debian's C xenstored (<c>c</c>) or tools/xenstored published NativeAOT
/// (<c>ours</c>), whose dom0 creates the kernel as a PVH guest with a disk (kernel blkback through realxen's vbd
/// hotplug script) and a vif (netback on xenbr0), waits for its watch on control/shutdown (its line in `xl dmesg`),
/// reads the given keys of its home with xenstore-read, runs `xl shutdown`, waits for the domain to go and prints
/// xenconsoled's log of the guest's PV console. Every wait in dom0 is bounded.
/// </summary>
internal static class RealXenGuest
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string Report => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
    }

    /// <summary>The lines xenconsoled logged from the guest's console, between the script's markers.</summary>
    public static IReadOnlyList<string> ConsoleLog(string stdout)
    {
        var from = stdout.IndexOf("== console begin\n", StringComparison.Ordinal);
        var to = stdout.IndexOf("== console end\n", StringComparison.Ordinal);
        if (from < 0 || to < from)
            return [];
        from += "== console begin\n".Length;
        return stdout[from..to].Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r', ' ')).ToList();
    }

    public static Result Run(string elf, IEnumerable<string> keys, string store)
    {
        if (store is not ("c" or "ours"))
            throw new ArgumentException($"store \"{store}\" is neither c nor ours", nameof(store));
        var work = Directory.CreateTempSubdirectory("xen-kernel-realxen-").FullName;
        try
        {
            string[] storeArgs = store == "ours" ? ["--store", "ours", "--xenstored", PublishXenstored(work)] : ["--store", "c"];
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
                echo "== console begin"
                cat /var/log/xen/console/guest-xenkernel.log
                echo "== console end"
                """.Replace("\r", ""));
            var realxen = Path.Combine(KernelImage.Root, "tools", "realxen", "bin", "Release", "net10.0", "realxen.dll");
            var run = Processes.Run("dotnet", [realxen, "run", "--verbose", "--timeout", "3000", .. storeArgs, "--", "sh", script], TimeSpan.FromMinutes(60));
            return new Result(run.ExitCode, run.Stdout, run.Stderr);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>tools/xenstored as the NativeAOT binary a dom0 runs (a JIT start under the emulator takes minutes).</summary>
    private static string PublishXenstored(string work)
    {
        var output = Path.Combine(work, "xenstored");
        var project = Path.Combine(KernelImage.Root, "tools", "xenstored", "xenstored.csproj");
        var publish = Processes.Run("dotnet", ["publish", project, "-c", "Release", "-r", "linux-x64", "-o", output, "-nologo", "-v", "quiet"], TimeSpan.FromMinutes(20));
        var binary = Path.Combine(output, "xenstored");
        if (publish.ExitCode != 0 || !File.Exists(binary))
            throw new InvalidOperationException($"dotnet publish {project} failed ({publish.ExitCode}):\n{publish.Stdout}\n{publish.Stderr}");
        return binary;
    }
}
