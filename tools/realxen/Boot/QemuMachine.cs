using System.Diagnostics;

namespace XenGen.RealXen.Boot;

/// <summary>How the emulated machine is put together.</summary>
/// <param name="Hypervisor">Xen, gunzipped (QEMU's multiboot loader takes it as the kernel).</param>
/// <param name="Dom0Kernel">The dom0 kernel (Xen's first multiboot module).</param>
/// <param name="Initrd">Dom0's initramfs (the second module).</param>
/// <param name="Exchange">The folder shared writable with dom0 as the 9p tag <c>realxen</c>.</param>
/// <param name="MemoryMiB">The machine's memory; dom0 gets half of it, guests the rest.</param>
/// <param name="Cpus">The machine's CPUs (all are dom0's vCPUs too).</param>
internal sealed record MachineSpec(string Hypervisor, string Dom0Kernel, string Initrd, string Exchange, int MemoryMiB, int Cpus)
{
    /// <summary>Dom0's memory: half the machine's.</summary>
    public int Dom0MemoryMiB => MemoryMiB / 2;

    /// <summary>
    /// QEMU's arguments: TCG (no KVM here) with SVM and nested paging offered so Xen can run HVM and PVH guests
    /// (<c>-cpu max</c> makes the 6.1 PV dom0 fault at once), Xen on the first serial port, dom0 on Xen's console,
    /// the host's root over 9p read-only, and no reboot (a Xen panic that reboots ends QEMU).
    /// </summary>
    public IReadOnlyList<string> QemuArguments()
    {
        foreach (var path in new[] { Dom0Kernel, Initrd })
            if (path.Contains(',')) throw new Host.RealXenException($"{path}: QEMU's multiboot module list cannot take a path with a comma");
        return
        [
            "-machine", "q35", "-accel", "tcg", "-cpu", "qemu64,+svm,+npt",
            "-m", MemoryMiB.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-smp", Cpus.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-nodefaults", "-no-user-config", "-display", "none", "-monitor", "none", "-serial", "stdio", "-no-reboot",
            "-kernel", Hypervisor,
            "-append", $"console=com1 com1=115200,8n1 dom0_mem={Dom0MemoryMiB}M,max:{Dom0MemoryMiB}M guest_loglvl=all",
            "-initrd", $"{Dom0Kernel} console=hvc0 earlyprintk=xen loglevel=4,{Initrd}",
            "-virtfs", "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap",
            "-virtfs", $"local,path={Exchange},mount_tag=realxen,security_model=none,multidevs=remap",
        ];
    }
}

/// <summary>How a machine's run ended.</summary>
internal enum MachineOutcome
{
    /// <summary>The console finished (COMMAND's status or a failure) or QEMU exited.</summary>
    Ended,
    /// <summary>The timeout came first; the machine was killed.</summary>
    TimedOut,
    /// <summary>realxen was asked to stop (SIGINT, SIGTERM); the machine was killed.</summary>
    Stopped,
}

/// <summary>One run of the emulated machine: QEMU started, its console fed to a <see cref="BootMonitor"/>, stopped.</summary>
internal static class QemuMachine
{
    /// <summary>The QEMU binary (qemu-system-x86).</summary>
    public const string Qemu = "qemu-system-x86_64";

    /// <summary>How long a machine gets to power off by itself once COMMAND's status has come.</summary>
    private static readonly TimeSpan PowerOffGrace = TimeSpan.FromSeconds(30);

    /// <summary>Boots the machine and returns once the monitor is finished and QEMU has exited (killed if need be).</summary>
    public static async Task<MachineOutcome> RunAsync(MachineSpec spec, BootMonitor monitor, TextWriter serialLog, TimeSpan timeout, CancellationToken cancel)
    {
        var start = new ProcessStartInfo(Qemu)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (var argument in spec.QemuArguments()) start.ArgumentList.Add(argument);
        Process qemu;
        try
        {
            qemu = Process.Start(start) ?? throw new Host.RealXenException($"cannot start {Qemu}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new Host.RealXenException($"cannot start {Qemu}: {e.Message}");
        }
        using (qemu)
        {
            qemu.StandardInput.Close();
            var errors = qemu.StandardError.ReadToEndAsync(cancel);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            deadline.CancelAfter(timeout);
            var finished = false;
            try
            {
                var console = new ConsoleLineReader(qemu.StandardOutput.BaseStream);
                while (await console.ReadLineAsync(deadline.Token) is { } line)
                {
                    serialLog.WriteLine(line);
                    monitor.OnLine(line);
                    if (monitor.Failure is not null) return MachineOutcome.Ended;
                    if (monitor.Finished && !finished)
                    {
                        finished = true;
                        deadline.CancelAfter(PowerOffGrace);
                    }
                }
                await qemu.WaitForExitAsync(deadline.Token);
                var stderr = (await errors).Trim();
                monitor.OnEnd(stderr.Length > 0 ? $"QEMU exited {qemu.ExitCode}: {stderr}" : $"the machine powered off (QEMU exit {qemu.ExitCode}) before COMMAND's status was reported");
                return MachineOutcome.Ended;
            }
            catch (OperationCanceledException)
            {
                return finished ? MachineOutcome.Ended : cancel.IsCancellationRequested ? MachineOutcome.Stopped : MachineOutcome.TimedOut;
            }
            finally
            {
                if (!qemu.HasExited)
                {
                    qemu.Kill(entireProcessTree: true);
                    await qemu.WaitForExitAsync(CancellationToken.None);
                }
            }
        }
    }
}
