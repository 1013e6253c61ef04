using System.CommandLine;
using System.Diagnostics;
using XenGen.RealXen.Boot;
using XenGen.RealXen.Guest;
using XenGen.RealXen.Host;

namespace XenGen.RealXen.Commands;

/// <summary><c>realxen guest</c>, in the dom0 of <c>realxen run</c>: one throwaway Linux guest through xl running COMMAND.</summary>
internal static class GuestCommand
{
    private const string Xl = "/usr/lib/xen-4.17/bin/xl";
    private const string ConsoleLogs = "/var/log/xen/console";

    // How long the console log is still read after the domain is gone, for what xenconsoled had not written yet.
    private const int ConsoleDrainSeconds = 15;

    public static Command Create()
    {
        var type = new Option<string>("--type") { Description = "The guest's type: pv or pvh", DefaultValueFactory = _ => "pv" };
        type.AcceptOnlyFromAmong("pv", "pvh");
        var disks = new Option<string[]>("--disk") { Description = "A disk: FILE[,backend=kernel|qdisk|standalone] (xvda, xvdb, ... in order; kernel is the default)", HelpName = "SPEC" };
        var nic = new Option<bool>("--nic") { Description = "A vif on dom0's bridge xenbr0 (kernel netback); the guest sees eth0" };
        var noFrontends = new Option<bool>("--no-kernel-frontends") { Description = "Leave the kernel's xen-blkfront and xen-netfront out, so a frontend in COMMAND serves the vbds and vifs" };
        var files = new Option<string[]>("--file") { Description = "A dom0 file COMMAND needs, put at the same path in the guest (with its shared libraries if an ELF program)", HelpName = "FILE" };
        var memory = new Option<int>("--memory") { Description = "The guest's memory in MiB", DefaultValueFactory = _ => 256, HelpName = "MB" };
        var timeout = new Option<int>("--timeout") { Description = "Seconds until the guest is destroyed (exit 124)", DefaultValueFactory = _ => 600, HelpName = "S" };
        var kernelArgs = new Option<string[]>("--kernel-arg") { Description = "A word appended to the guest kernel's command line (xen.fifo_events=0, ...)", HelpName = "ARG" };
        kernelArgs.Validators.Add(r =>
        {
            foreach (var arg in r.GetValueOrDefault<string[]>() ?? [])
                if (arg.Length == 0 || arg.Any(c => char.IsWhiteSpace(c) || c == '"')) r.AddError($"--kernel-arg '{arg}': one word, without quotes");
        });
        var name = new Option<string>("--name") { Description = "The guest's name", DefaultValueFactory = _ => "realxen-guest" };
        var command = new Argument<string[]>("COMMAND") { Description = "What the guest runs: one word is a shell command line, several a command and its arguments; a first word that is a dom0 file is put in the guest", Arity = ArgumentArity.OneOrMore };
        var guest = new Command("guest", "In realxen's dom0: boot a Linux guest through xl, run COMMAND in it, print its console, destroy it; exit with COMMAND's status")
        {
            type, disks, nic, noFrontends, files, memory, timeout, kernelArgs, name, command,
        };
        memory.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 64) r.AddError("--memory: at least 64 MiB"); });
        timeout.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("--timeout: at least 1 second"); });
        disks.Validators.Add(r =>
        {
            var values = r.GetValueOrDefault<string[]>() ?? [];
            if (values.Length > 26) r.AddError("--disk: at most 26 disks");
            foreach (var disk in values)
            {
                try { DiskSpec.Parse(disk); }
                catch (FormatException e) { r.AddError(e.Message); }
            }
        });
        guest.SetAction((result, cancel) => RunAsync(
            result.GetValue(type)!, [.. (result.GetValue(disks) ?? []).Select(DiskSpec.Parse)], result.GetValue(nic),
            !result.GetValue(noFrontends), result.GetValue(files) ?? [], result.GetValue(memory), result.GetValue(timeout), result.GetValue(kernelArgs) ?? [], result.GetValue(name)!,
            result.GetValue(command)!, cancel));
        return guest;
    }

    private static async Task<int> RunAsync(string type, DiskSpec[] disks, bool nic, bool kernelFrontends, string[] files, int memory, int timeoutSeconds, string[] kernelArgs, string name, string[] command, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        void Progress(string line) => Console.Error.WriteLine($"realxen guest: {clock.Elapsed.TotalSeconds,5:0.0} s  {line}");
        var work = default(string);
        var created = false;
        var domid = -1;
        using var loops = new LoopDevices();
        var qdisk = default(QdiskBackend);
        try
        {
            if (!File.Exists("/proc/xen/capabilities") || !File.ReadAllText("/proc/xen/capabilities").Contains("control_d", StringComparison.Ordinal))
                throw new RealXenException("this is not a Xen dom0 (no control_d in /proc/xen/capabilities): run realxen guest inside realxen run");
            var kernel = DebianKernel.FromDom0Environment();
            foreach (var disk in disks)
                if (!File.Exists(disk.File)) throw new RealXenException($"--disk {disk.File}: no such file");

            work = Directory.CreateTempSubdirectory("realxen-guest-").FullName;
            var marker = new ConsoleMarker();
            var needed = files.ToList();
            if (command[0].Contains('/') && File.Exists(command[0])) needed.Add(command[0]);
            var waitFor = disks.Select((d, i) => (d, i)).Where(x => kernelFrontends && x.d.Backend != DiskBackend.Standalone).Select(x => "/dev/" + GuestSpec.DiskDevice(x.i)).ToList();
            if (nic && kernelFrontends) waitFor.Add("/sys/class/net/eth0");
            var ramdisk = Path.Combine(work, "initrd");
            GuestImage.Write(ramdisk, kernel, marker, command, needed, waitFor, kernelFrontends);
            var vbdScript = WriteScript(work, "vbd-hotplug.sh");
            var vifScript = WriteScript(work, "vif-hotplug.sh");
            var spec = new GuestSpec(name, type, memory, kernel.Image, ramdisk, loops.AttachKernelDisks(disks), nic, vbdScript, vifScript, kernelArgs);
            var config = Path.Combine(work, "guest.cfg");
            await File.WriteAllTextAsync(config, spec.XlConfig(), cancel);

            var log = Path.Combine(ConsoleLogs, $"guest-{name}.log");
            File.Delete(log);
            Progress($"xl create ({type}, {memory} MiB, {disks.Length} disk(s){(nic ? ", a vif" : "")})");
            created = true;
            // Disks realxen adds itself go in while the guest is paused, before its frontends probe.
            var ours = disks.Any(DiskNodes.WrittenByRealXen);
            var create = ProcessRunner.Run(Xl, ours ? ["create", "-q", "-p", config] : ["create", "-q", config]);
            if (create.ExitCode != 0)
                throw new RealXenException($"xl create exited {create.ExitCode}: {create.Error.Trim()}{HotplugLogTail()}");
            Progress("xl create done (its disks' and vif's hotplug scripts ended)");
            if (ours)
            {
                domid = int.Parse(ProcessRunner.Check(Xl, ["domid", name]).Trim(), System.Globalization.CultureInfo.InvariantCulture);
                DiskNodes.Add(domid, disks);
                if (disks.Any(d => d.Backend == DiskBackend.Qdisk))
                    qdisk = QdiskBackend.Start(domid, name, memory, disks, TimeSpan.FromSeconds(timeoutSeconds), Progress);
                ProcessRunner.Check(Xl, ["unpause", name]);
            }
            return await FollowConsoleAsync(name, log, marker, TimeSpan.FromSeconds(timeoutSeconds), Progress, cancel);
        }
        catch (RealXenException e)
        {
            Console.Error.WriteLine($"realxen guest: {e.Message}");
            return ExitCodes.Failure;
        }
        finally
        {
            if (created && ProcessRunner.Run(Xl, ["domid", name]).ExitCode == 0) ProcessRunner.Run(Xl, ["destroy", name]);
            qdisk?.Dispose();
            if (domid >= 0) DiskNodes.Remove(domid);
            if (work is not null) Directory.Delete(work, recursive: true);
        }
    }

    private static string WriteScript(string folder, string name)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, ScriptTemplate.Render(name, new Dictionary<string, string>()));
        File.SetUnixFileMode(path, (UnixFileMode)0x1ED);
        return path;
    }

    /// <summary>The end of Xen's hotplug log, where the hotplug scripts' errors go.</summary>
    private static string HotplugLogTail()
    {
        const string log = "/var/log/xen/xen-hotplug.log";
        return File.Exists(log) ? $"\n{log} ends:\n" + string.Join('\n', File.ReadLines(log).TakeLast(10)) : "";
    }

    /// <summary>Prints the guest's console log (xenconsoled --log=guest) as it grows, until COMMAND's status, the domain's end or the timeout.</summary>
    private static async Task<int> FollowConsoleAsync(string name, string log, ConsoleMarker marker, TimeSpan timeout, Action<string> progress, CancellationToken cancel)
    {
        var deadline = Stopwatch.StartNew();
        long offset = 0;
        var partial = "";
        var poll = 0;
        var gone = default(Stopwatch);
        while (deadline.Elapsed < timeout && !cancel.IsCancellationRequested)
        {
            if (File.Exists(log))
            {
                using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                stream.Seek(offset, SeekOrigin.Begin);
                var text = partial + await new StreamReader(stream).ReadToEndAsync(cancel);
                offset = stream.Length;
                var lines = text.Split('\n');
                partial = lines[^1];
                foreach (var raw in lines[..^1])
                {
                    var line = raw.TrimEnd('\r');
                    if (!marker.TryParse(line, out var before, out var verb, out var argument))
                    {
                        Console.Out.WriteLine(line);
                        continue;
                    }
                    if (before.Length > 0) Console.Out.WriteLine(before);
                    if (verb == "exit" && int.TryParse(argument, out var status))
                    {
                        progress($"COMMAND exited {status}");
                        return status;
                    }
                    if (verb == "warning") progress(argument);
                }
            }
            // The domain ending without a status is a failure; xl domid is a process, so ask only every second.
            // xenconsoled may write the guest's last lines after the domain is gone: keep reading for a while.
            if (gone is null && ++poll % 5 == 0 && ProcessRunner.Run(Xl, ["domid", name]).ExitCode != 0) gone = Stopwatch.StartNew();
            if (gone is { Elapsed.TotalSeconds: > ConsoleDrainSeconds })
                throw new RealXenException($"guest {name} ended without reporting COMMAND's status (its console: {log})");
            await Task.Delay(200, CancellationToken.None);
        }
        var state = ProcessRunner.Run(Xl, ["list", name]).Output.Split('\n').Skip(1).FirstOrDefault()?.Trim();
        Console.Error.WriteLine($"realxen guest: timed out after {timeout.TotalSeconds} s (xl list: {state}); destroying {name}");
        return ExitCodes.Timeout;
    }
}
