using Xen.Kernel.Machine;
using Xen.Kernel.Nexus;

namespace Xen.Kernel.Store;

/// <summary>
/// XenStore on the ring, as XenStoreStep: the page and port from <c>HVM_PARAM_STORE_PFN</c> and
/// <c>HVM_PARAM_STORE_EVTCHN</c>, the port unmasked, then our domid and name read over the ring.
/// </summary>
public static unsafe class StoreAttach
{
    public static bool Attach()
    {
        if (!HvmParams.Get(XenNumbers.HvmParamStorePfn, out var gfn, "HVMOP_get_param(HVM_PARAM_STORE_PFN)")
            || !HvmParams.Get(XenNumbers.HvmParamStoreEvtchn, out var port, "HVMOP_get_param(HVM_PARAM_STORE_EVTCHN)"))
            return false;
        // Port 0 is never allocated, so an unset HVM_PARAM_STORE_EVTCHN is 0; the identity map ends at 4 GiB.
        if (port == 0 || port >= EventChannels.MaxPorts || gfn >= (1UL << 20))
        {
            Log.Write("xenstore0: no usable store (HVM_PARAM_STORE_PFN ");
            Log.WriteHexShort(gfn);
            Log.Write(", HVM_PARAM_STORE_EVTCHN ");
            Log.WriteHexShort(port);
            Log.WriteLine(")");
            return false;
        }
        XsRing.Attach(gfn * BootPages.PageSize, (uint)port);
        XenStore.Attach();
        if (!EventChannels.Unmask((uint)port))
            return false;

        if (!XenStore.Read("domid"))
            return false;
        if (!Text.TryParseDecimal(XenStore.Reply, XenStore.ReplyLength, out var domid))
        {
            Log.Write("xenstore0: domid \"");
            Text.Log(XenStore.Reply, XenStore.ReplyLength);
            Log.WriteLine("\" is not a number");
            return false;
        }
        if (!XenStore.Read("name"))
            return false;
        Log.Write("xenstore0 at xen0: gfn ");
        Log.WriteHexShort(gfn);
        Log.Write(" port ");
        Log.WriteDecimal((uint)port);
        Log.Write(", domain ");
        Log.WriteDecimal(domid);
        Log.Write(" \"");
        Text.Log(XenStore.Reply, XenStore.ReplyLength);
        Log.WriteLine("\"");
        return true;
    }
}
