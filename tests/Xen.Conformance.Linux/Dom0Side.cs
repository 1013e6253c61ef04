using System.Diagnostics;
using Xen.XenStore.Client;
using Xen.XenStore.Client.Transports;

namespace Xen.Conformance.Linux;

/// <summary>
/// dom0's run: its own cases, then a guest booted with <c>realxen guest</c> running <c>xen-conformance guest</c>,
/// the cross-domain cases on the guest's offer, and the guest's exit status.
/// </summary>
internal static class Dom0Side
{
    // Under the emulator on a loaded machine a guest's boot takes minutes.
    private const int GuestTimeoutSeconds = 1800;

    public static async Task<int> RunAsync(string guestModules, CancellationToken cancel)
    {
        var log = new CaseLog("dom0", Console.WriteLine);
        using (var xen = new PrivcmdXenDomain(0))
        {
            ConformanceSuite.RunAlone(xen, log, privileged: true);
        }

        string self = Environment.ProcessPath!;
        string[] modules = ["xen-privcmd.ko", "xen-gntalloc.ko"];
        var files = modules.Select(m => Path.Combine(guestModules, m)).ToArray();
        // The guest kernel keeps 2-level event channels, as the simulator's guests do unless they set up FIFO: only
        // then does Xen mark its ports in shared_info's bitmaps, which dom0's shared-info cases read.
        var arguments = new List<string> { "guest", "--timeout", GuestTimeoutSeconds.ToString(), "--kernel-arg", "xen.fifo_events=0", "--file", self };
        foreach (var file in files) arguments.AddRange(["--file", file]);
        // A domU's privcmd blocks every hypercall unless it serves a device model's target domain; unrestricted=1
        // lets root issue them, so the guest's answers are Xen's and not its kernel's.
        arguments.AddRange(["--", $"insmod {files[0]} unrestricted=1 && insmod {files[1]} && {self} guest"]);
        using var guest = Process.Start(new ProcessStartInfo(OnPath("realxen"), arguments))!;
        bool passed;
        try
        {
            passed = await WithGuestAsync(log, guest, cancel);
        }
        finally
        {
            await guest.WaitForExitAsync(cancel);
        }
        log.Info($"the guest's run ended with status {guest.ExitCode}");
        return passed && guest.ExitCode == 0 ? 0 : 1;
    }

    /// <summary>
    /// <paramref name="program"/> as the shell finds it on PATH. Process.Start would look in the working directory
    /// first, where a test's output folder holds a copied realxen apphost without its dll.
    /// </summary>
    private static string OnPath(string program)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, program);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"{program}: not on PATH ({Environment.GetEnvironmentVariable("PATH")}); realxen run puts it there in dom0", program);
    }

    private static async Task<bool> WithGuestAsync(CaseLog log, Process guest, CancellationToken cancel)
    {
        await using var store = new XenStoreClient(XsUnixSocketTransport.Connect());
        ushort? domid = await FindGuestAsync(store, guest, cancel);
        if (domid is null)
        {
            log.Info("no guest published its offer");
            return false;
        }
        var link = new XenStoreLink(store, $"/local/domain/{domid}/{XenStoreLink.GuestFolder}");
        using var xen = new PrivcmdXenDomain(0);
        foreach (var answer in await ConformanceSuite.RunDom0WithGuestAsync(xen, link, log, cancel)) Console.WriteLine(answer);
        return true;
    }

    /// <summary>The domain that wrote <c>data/conformance/ready</c>; null if the guest's run ended or the timeout passed first.</summary>
    private static async Task<ushort?> FindGuestAsync(XenStoreClient store, Process guest, CancellationToken cancel)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(GuestTimeoutSeconds - 60);
        while (DateTime.UtcNow < deadline && !guest.HasExited)
        {
            foreach (var entry in await store.DirectoryAsync("/local/domain", cancel))
            {
                if (entry != "0" && await store.ExistsAsync($"/local/domain/{entry}/{XenStoreLink.GuestFolder}/ready", cancel))
                    return ushort.Parse(entry);
            }
            await Task.Delay(500, cancel);
        }
        return null;
    }
}
