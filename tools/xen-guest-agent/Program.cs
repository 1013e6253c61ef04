using System.CommandLine;

namespace Xen.GuestAgent.Tool;

/// <summary>
/// <c>xen-guest-agent [--socket PATH | --xenbus DEVICE] [--layout xe|xga] [--memory-interval S]
/// [--shutdown-command CMD | --kernel-shutdown] [--once] [--dry-run]</c>.
/// </summary>
public static class Program
{
    /// <summary>Runs the agent.</summary>
    /// <returns>0 after a clean stop, 1 when the store or netlink cannot be used, 2 for bad arguments.</returns>
    public static async Task<int> Main(string[] args)
    {
        var socket = new Option<string?>("--socket") { Description = "The xenstored unix socket (dom0, tests)", HelpName = "PATH" };
        var xenbus = new Option<string?>("--xenbus") { Description = "The xenbus device of a guest (default when neither is given and no socket exists: /dev/xen/xenbus)", HelpName = "DEVICE" };
        var layout = new Option<string>("--layout") { Description = "Key layout: xe (xe-guest-utilities) or xga (xen-guest-agent)", DefaultValueFactory = _ => "xe" };
        layout.AcceptOnlyFromAmong("xe", "xga");
        var memoryInterval = new Option<int>("--memory-interval")
        {
            Description = "Seconds between readings of /proc/meminfo",
            HelpName = "S",
            DefaultValueFactory = _ => 60,
            CustomParser = result =>
            {
                string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
                if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int seconds) && seconds is >= 1 and <= 86400) return seconds;
                result.AddError($"--memory-interval: \"{text}\" is not a number of seconds from 1 to 86400");
                return 0;
            },
        };
        var shutdownCommand = new Option<string>("--shutdown-command") { Description = "Run as CMD ACTION for a poweroff, reboot or halt request in control/shutdown", HelpName = "CMD", DefaultValueFactory = _ => "systemctl" };
        shutdownCommand.Validators.Add(result =>
        {
            if (string.IsNullOrWhiteSpace(result.GetValueOrDefault<string>())) result.AddError("--shutdown-command must name a command");
        });
        var kernelShutdown = new Option<bool>("--kernel-shutdown") { Description = "The kernel handles control/shutdown (Linux's xenbus does): leave it and the feature keys alone" };
        var once = new Option<bool>("--once") { Description = "Publish every key once and exit" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would be written, as a table, and exit without connecting" };
        var root = new RootCommand("xen-guest-agent: keeps this guest's XenStore keys current, driven by netlink events")
        {
            socket, xenbus, layout, memoryInterval, shutdownCommand, kernelShutdown, once, dryRun,
        };
        root.Validators.Add(result =>
        {
            if (result.GetResult(socket) is not null && result.GetResult(xenbus) is not null) result.AddError("--socket and --xenbus cannot both be given");
        });
        root.SetAction((result, cancel) => AgentCommand.RunAsync(new AgentSettings(
            result.GetValue(socket),
            result.GetValue(xenbus),
            result.GetValue(layout)!,
            TimeSpan.FromSeconds(result.GetValue(memoryInterval)),
            result.GetValue(kernelShutdown) ? null : result.GetValue(shutdownCommand),
            result.GetValue(once),
            result.GetValue(dryRun))));

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) Console.Error.WriteLine($"xen-guest-agent: {error.Message} (try --help)");
            return 2;
        }
        return await parsed.InvokeAsync().ConfigureAwait(false);
    }
}
