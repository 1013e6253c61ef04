using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using XenGen.RealXen.Boot;
using XenGen.RealXen.Host;

namespace XenGen.RealXen.Commands;

/// <summary><c>realxen run</c>: boots Xen with a Linux dom0 under QEMU and runs COMMAND in dom0.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var memory = new Option<int>("--memory") { Description = "The machine's memory in MiB (dom0 gets half, guests the rest)", DefaultValueFactory = _ => 3072, HelpName = "MB" };
        var cpus = new Option<int>("--cpus") { Description = "The machine's CPUs (dom0's vCPUs)", DefaultValueFactory = _ => 2, HelpName = "N" };
        var store = new Option<string>("--store") { Description = "Dom0's XenStore: c (Debian's xenstored) or ours (tools/xenstored)", DefaultValueFactory = _ => "c" };
        store.AcceptOnlyFromAmong("c", "ours");
        var timeout = new Option<int>("--timeout") { Description = "Seconds for the whole run, boot included; then the machine is killed (exit 124)", DefaultValueFactory = _ => 600, HelpName = "S" };
        var cache = new Option<string>("--cache") { Description = $"Where the kernel and Xen are cached (default: $REALXEN_CACHE, else {ArtifactCache.DefaultRoot})", HelpName = "DIR" };
        var kernel = new Option<string>("--kernel") { Description = "Boot this dom0 kernel instead of Debian's (its modules are still Debian's)", HelpName = "FILE" };
        var hypervisor = new Option<string>("--hypervisor") { Description = "Boot this hypervisor image instead of Debian's Xen 4.17", HelpName = "FILE" };
        var xenstored = new Option<string>("--xenstored") { Description = "With --store ours: the xenstored.dll, or its NativeAOT binary, to run (default: tools/xenstored's build beside this one)", HelpName = "FILE" };
        var verbose = new Option<bool>("--verbose") { Description = "Print the whole console: the boot, and Xen's lines while COMMAND runs" };
        var command = new Argument<string[]>("COMMAND") { Description = "What dom0 runs as root: one word is a shell command line, several are a command and its arguments", Arity = ArgumentArity.OneOrMore };
        var run = new Command("run", "Boot Xen 4.17 under QEMU with Debian's kernel as a PV dom0, run COMMAND in dom0, power off; exit with COMMAND's status")
        {
            memory, cpus, store, timeout, cache, kernel, hypervisor, xenstored, verbose, command,
        };
        memory.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1024) r.AddError("--memory: at least 1024 MiB (dom0 gets half)"); });
        cpus.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 8) r.AddError("--cpus: 1 to 8"); });
        timeout.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("--timeout: at least 1 second"); });
        run.SetAction((result, cancel) => RunAsync(new RunOptions(
            result.GetValue(memory), result.GetValue(cpus), result.GetValue(store) == "ours", result.GetValue(timeout),
            result.GetValue(cache) ?? ArtifactCache.RootFromEnvironment(), result.GetValue(kernel), result.GetValue(hypervisor),
            result.GetValue(xenstored), result.GetValue(verbose), result.GetValue(command)!), cancel));
        return run;
    }

    private static async Task<int> RunAsync(RunOptions options, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        void Progress(string line) => Console.Error.WriteLine($"realxen: {clock.Elapsed.TotalSeconds,5:0.0} s  {line}");
        string? exchange = null;
        var keep = false;
        try
        {
            AptPackages.EnsureInstalled(AptPackages.ForRun, Progress);
            var artifacts = new ArtifactCache(options.Cache);
            var debianKernel = artifacts.Kernel(Progress);
            var xen = options.Hypervisor ?? artifacts.Hypervisor(Progress);
            var dom0Kernel = options.Kernel ?? debianKernel.Image;
            foreach (var (what, file) in new[] { ("hypervisor", xen), ("dom0 kernel", dom0Kernel) })
                if (!File.Exists(file)) throw new RealXenException($"{what} {file}: no such file");
            var store = options.OurStore ? Dom0Image.OurStore(LocateOurXenstored(options.Xenstored)) : Dom0Image.CStore();

            exchange = Directory.CreateTempSubdirectory("realxen-").FullName;
            var marker = new ConsoleMarker();
            var initrd = Dom0Image.Write(exchange, debianKernel, marker, store, typeof(RunCommand).Assembly.Location, options.Command);
            var spec = new MachineSpec(Path.GetFullPath(xen), Path.GetFullPath(dom0Kernel), initrd, exchange, options.MemoryMiB, options.Cpus);

            var serialLogPath = Path.Combine(exchange, "console.log");
            using var serialLog = new StreamWriter(serialLogPath) { AutoFlush = true };
            var stdout = Console.Out;
            var monitor = new BootMonitor(marker, stdout, step => Progress(step == BootStep.Command ? "running COMMAND" : $"step {step.Name()}"))
            {
                BootLines = options.Verbose ? Console.Error : null,
                HypervisorLines = options.Verbose ? Console.Error : null,
            };
            Progress($"booting Xen ({options.MemoryMiB} MiB, {options.Cpus} CPUs, dom0 {spec.Dom0MemoryMiB} MiB, {store.Name})");
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
            var outcome = await QemuMachine.RunAsync(spec, monitor, serialLog, TimeSpan.FromSeconds(options.TimeoutSeconds), stop.Token);
            await stdout.FlushAsync(CancellationToken.None);

            if (monitor.ExitStatus is { } status)
            {
                Progress($"COMMAND exited {status}; powered off");
                return status;
            }
            keep = true;
            var reason = outcome switch
            {
                MachineOutcome.TimedOut => $"timed out after {options.TimeoutSeconds} s",
                MachineOutcome.Stopped => "stopped by a signal",
                _ => monitor.Failure ?? "the console ended without COMMAND's status",
            };
            Console.Error.WriteLine($"realxen: boot failed at step {monitor.Step.Name()}: {reason}");
            Console.Error.WriteLine($"realxen: the last console lines (all of them in {serialLogPath}):");
            foreach (var line in monitor.RecentLines.TakeLast(15)) Console.Error.WriteLine("  | " + line);
            return outcome == MachineOutcome.TimedOut ? ExitCodes.Timeout : ExitCodes.Failure;
        }
        catch (RealXenException e)
        {
            Console.Error.WriteLine($"realxen: {e.Message}");
            return ExitCodes.Failure;
        }
        finally
        {
            if (exchange is not null && !keep) Directory.Delete(exchange, recursive: true);
        }
    }

    /// <summary>tools/xenstored's build of the same configuration as this realxen (both under the repository's tools/).</summary>
    private static string LocateOurXenstored(string? given)
    {
        if (given is not null) return File.Exists(given) ? Path.GetFullPath(given) : throw new RealXenException($"--xenstored {given}: no such file");
        // This assembly is tools/realxen/bin/CONFIGURATION/TFM/realxen.dll.
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
        var tfm = here.Name;
        var configuration = here.Parent!.Name;
        var tools = here.Parent.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(tools, "xenstored", "bin", configuration, tfm, "xenstored.dll");
        return File.Exists(dll) ? dll : throw new RealXenException($"--store ours: {dll} is not built (dotnet build tools/xenstored -c {configuration}), or pass --xenstored DLL");
    }
}

/// <summary>What <c>realxen run</c> was asked for.</summary>
internal sealed record RunOptions(
    int MemoryMiB, int Cpus, bool OurStore, int TimeoutSeconds, string Cache, string? Kernel, string? Hypervisor,
    string? Xenstored, bool Verbose, string[] Command);
