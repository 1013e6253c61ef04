using Xen.Abi;
using Xen.Abi.Hvm;
using Xen.Abi.Io;
using Xen.Nexus.Hypercalls;
using Xen.Nexus.Init;
using Xen.Nexus.Platform;

namespace Xen.Drivers.Console;

/// <summary>
/// A nexus step (add it at <see cref="NexusPhase.XenStore"/>): the console page the toolstack gave the guest
/// (<c>HVM_PARAM_CONSOLE_PFN</c>, <c>HVM_PARAM_CONSOLE_EVTCHN</c>), mapped as a <see cref="XenConsole"/>. A guest
/// without one gets a log line and no console.
/// </summary>
public sealed unsafe class ConsoleStep : INexusInitStep
{
    /// <inheritdoc/>
    public string Name => "console";

    /// <summary>The console, once attached (null when the toolstack gave none).</summary>
    public XenConsole? Console { get; private set; }

    /// <inheritdoc/>
    public void Attach(XenNexus nexus)
    {
        var gfn = GetParam(nexus, (uint)Params.HvmParamConsolePfn);
        var port = (uint)GetParam(nexus, (uint)Params.HvmParamConsoleEvtchn);
        if (gfn == 0 || port == 0)
        {
            nexus.Log("xencons0: no console page");
            return;
        }
        var page = (XenconsInterface*)nexus.Hypervisor.Memory.Map(XenPage.Address(gfn), XenPage.Size);
        var events = nexus.EventChannels ?? throw new InvalidOperationException("the console before the event channels step");
        var console = new XenConsole(page, () => events.Send(port));
        // The toolstack bound the port already; its events now wake the console's input.
        events.Adopt(port, (_, _) => console.OnEvent());
        Console = console;
        nexus.Log($"xencons0 at {nexus.Options.DeviceName}: gfn 0x{gfn:x} port {port}");
    }

    /// <inheritdoc/>
    public void Detach(XenNexus nexus) => Console = null;

    private static ulong GetParam(XenNexus nexus, uint index)
    {
        using var arg = nexus.Hypercalls.Prepare<XenHvmParam>();
        arg.Value.Domid = (ushort)Xen.Abi.Xen.DomidSelf;
        arg.Value.Index = index;
        arg.Call(XenOperations.HvmopGetParam);
        return arg.Value.Value;
    }
}
