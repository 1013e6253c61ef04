using System.CommandLine;
using Xen.Drivers.Blkback;
using Xen.Drivers.Netback;
using Xen.Linux;

namespace Xen.BackendDaemon;

/// <summary><c>xenbackendd</c>: our disk and network backends for every device a toolstack adds, in a dom0's user space.</summary>
public static class Program
{
    /// <summary>Parses the command line and serves until SIGTERM or SIGINT.</summary>
    public static async Task<int> Main(string[] args)
    {
        var vbdKind = new Option<string>("--vbd-kind") { Description = "The directory under backend/ whose disks Blkback serves", DefaultValueFactory = _ => "vbd", HelpName = "KIND" };
        var noVbd = new Option<bool>("--no-vbd") { Description = "Serve no disks" };
        var noVif = new Option<bool>("--no-vif") { Description = "Serve no network interfaces" };
        var root = new RootCommand("Serves backend/vbd with our Blkback and backend/vif with our Netback (each vif on a TAP of its name) from this domain's /dev/xen devices")
        {
            vbdKind, noVbd, noVif,
        };
        vbdKind.Validators.Add(r =>
        {
            var value = r.GetValueOrDefault<string>() ?? "";
            if (value.Length == 0 || value.Contains('/') || value == "vif") r.AddError($"--vbd-kind '{value}': one directory name under backend/, not vif");
        });
        root.SetAction((r, cancel) => RunAsync(r.GetValue(noVbd) ? null : r.GetValue(vbdKind), !r.GetValue(noVif), cancel));
        return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
    }

    private static async Task<int> RunAsync(string? vbdKind, bool vifs, CancellationToken cancel)
    {
        static void Log(string line) => Console.Out.WriteLine(line);
        LinuxXenServices linux;
        try
        {
            linux = await LinuxXenServices.OpenAsync(new LinuxXenServicesOptions { Log = Log }, cancel).ConfigureAwait(false);
        }
        catch (Exception e) when (e is Xen.Linux.Devices.XenDeviceException or Xen.XenStore.Client.XsConnectionException or InvalidDataException)
        {
            Console.Error.WriteLine($"xenbackendd: {e.Message}");
            return 1;
        }
        using (linux)
        {
            var services = linux.Services;
            var kinds = new List<IBackendKind>();
            if (vbdKind is not null) kinds.Add(new VbdBackends(services, vbdKind, new BlkbackOptions()));
            if (vifs) kinds.Add(new VifBackends(services, new NetbackOptions()));
            var watchers = new List<BackendWatcher>();
            try
            {
                foreach (var kind in kinds)
                {
                    var watcher = new BackendWatcher(services, kind);
                    watchers.Add(watcher);
                    await watcher.StartAsync().ConfigureAwait(false);
                }
                Log($"xenbackendd: ready in domain {services.DomainId}");
                try { await Task.Delay(Timeout.Infinite, cancel).ConfigureAwait(false); }
                catch (OperationCanceledException) { }
            }
            finally
            {
                foreach (var watcher in watchers) await watcher.DisposeAsync().ConfigureAwait(false);
                Log("xenbackendd: stopped");
            }
        }
        return 0;
    }
}
