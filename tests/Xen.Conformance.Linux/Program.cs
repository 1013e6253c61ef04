using System.CommandLine;

namespace Xen.Conformance.Linux;

/// <summary><c>xen-conformance dom0 --guest-modules DIR</c> in realxen's dom0; <c>xen-conformance guest</c> in the guest it boots.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var modules = new Option<string>("--guest-modules") { Description = "The kernel's drivers/xen folder (xen-privcmd.ko, xen-gntalloc.ko for the guest)", Required = true, HelpName = "DIR" };
        var dom0 = new Command("dom0", "In dom0: its cases, then a guest and the cases between them") { modules };
        dom0.SetAction((r, cancel) => Dom0Side.RunAsync(r.GetValue(modules)!, cancel));
        var guest = new Command("guest", "In the guest: its cases, then the ports and grants dom0's cases use");
        guest.SetAction((_, cancel) => GuestSide.RunAsync(cancel));
        var root = new RootCommand("The simulator's conformance suite on real Xen, one answer line per case") { dom0, guest };
        return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
    }
}
