using System.CommandLine;

namespace Xen.Linux.Agent;

/// <summary>
/// <c>xen-agent-check dom0 --guest-modules DIR</c> in realxen's dom0, <c>xen-agent-check guest</c> in the guest it boots;
/// <c>xen-agent-check guest-agent --agent FILE</c> in dom0 boots a guest running xen-guest-agent and reads what it publishes;
/// <c>xen-agent-check add-address</c> is that guest's side of the address check.
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
        var interfaceName = new Option<string>("--interface") { Description = "The interface to add the address on", Required = true, HelpName = "NAME" };
        var address = new Option<string>("--address") { Description = "The IPv4 address and prefix length to add", Required = true, HelpName = "ADDRESS/PREFIX" };
        var addAddress = new Command("add-address", "In the guest agent's guest: when dom0 writes go, write the marker and add the address by rtnetlink") { interfaceName, address };
        addAddress.SetAction((r, cancel) => GuestAddressAdder.RunAsync(r.GetValue(interfaceName)!, r.GetValue(address)!, cancel));
        var root = new RootCommand("The agent target's and the guest agent's checks on real Xen") { dom0, guest, guestAgent, addAddress };
        return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
    }
}
