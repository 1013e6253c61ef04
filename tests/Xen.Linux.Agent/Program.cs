using System.CommandLine;

namespace Xen.Linux.Agent;

/// <summary>
/// <c>xen-agent-check dom0 --guest-modules DIR</c> in realxen's dom0, <c>xen-agent-check guest</c> in the guest it boots;
/// <c>xen-agent-check guest-agent --agent FILE</c> in dom0 boots a guest running xen-guest-agent and reads what it publishes.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var modules = new Option<string>("--guest-modules") { Description = "The kernel's drivers/xen folder (xen-evtchn.ko, xen-gntalloc.ko for the guest)", Required = true, HelpName = "DIR" };
        var dom0 = new Command("dom0", "In dom0: privcmd, XenStore, then a guest and event channels and grants with it") { modules };
        dom0.SetAction((r, cancel) => Dom0Checks.RunAsync(r.GetValue(modules)!, cancel));
        var guest = new Command("guest", "In the guest: grant pages and offer a port to dom0, answer its notification");
        guest.SetAction((_, cancel) => GuestSide.RunAsync(cancel));
        var agentFile = new Option<string>("--agent") { Description = "xen-guest-agent, published NativeAOT", Required = true, HelpName = "FILE" };
        var guestAgent = new Command("guest-agent", "In dom0: a guest with a vif runs xen-guest-agent; check its keys with xenstore-read and an address it adds") { agentFile };
        guestAgent.SetAction((r, cancel) => GuestAgentChecks.RunAsync(Path.GetFullPath(r.GetValue(agentFile)!), cancel));
        var root = new RootCommand("The agent target's and the guest agent's checks on real Xen") { dom0, guest, guestAgent };
        return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
    }
}
