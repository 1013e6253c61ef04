using System.Numerics;
using Xen.Abi.Hvm;
using Xen.Nexus.Hypercalls;

namespace Xen.Nexus.Init;

/// <summary>
/// When Xen offers <c>XENFEAT_hvm_callback_vector</c>: installs the upcall on the options' vector and tells Xen with
/// <c>HVMOP_set_param(HVM_PARAM_CALLBACK_IRQ)</c>, type <c>HVM_PARAM_CALLBACK_TYPE_VECTOR</c>. Without the feature
/// no vector is set (a PCI INTx or GSI callback, which the nexus does not do, would be the alternative): the event
/// channels step then polls the upcall every <see cref="NexusOptions.UpcallPollInterval"/>.
/// </summary>
public sealed class CallbackVectorStep : INexusInitStep
{
    private static readonly int TypeShift = BitOperations.TrailingZeroCount(HvmParamsH.HvmParamCallbackIrqTypeMask);

    /// <inheritdoc/>
    public string Name => "callback vector";

    /// <inheritdoc/>
    public void Attach(XenNexus nexus)
    {
        if (!nexus.HasFeature(FeaturesH.XenfeatHvmCallbackVector))
        {
            nexus.Log(FormattableString.Invariant($"{nexus.Options.DeviceName}: no callback vector (XENFEAT_hvm_callback_vector not offered), events polled every {nexus.Options.UpcallPollInterval.TotalMilliseconds} ms"));
            return;
        }
        var vector = nexus.Options.CallbackVector;
        // The handler reads nexus.EventChannels, which the next step creates; until then an upcall does nothing.
        nexus.Hypervisor.SetInterruptHandler(vector, nexus.OnUpcall);
        try
        {
            SetCallbackIrq(nexus, ((ulong)HvmParamsH.HvmParamCallbackTypeVector << TypeShift) | vector);
        }
        catch
        {
            nexus.Hypervisor.ClearInterruptHandler(vector);
            throw;
        }
        nexus.CallbackVector = vector;
        nexus.Log($"{nexus.Options.DeviceName}: callback vector {vector} (0x{vector:x2})");
    }

    /// <inheritdoc/>
    public void Detach(XenNexus nexus)
    {
        if (nexus.CallbackVector is not { } vector)
            return;
        try
        {
            SetCallbackIrq(nexus, 0);
        }
        catch (XenHypercallException)
        {
            // Xen keeps raising the vector; with no handler the interrupt is dropped.
        }
        nexus.Hypervisor.ClearInterruptHandler(vector);
        nexus.CallbackVector = null;
    }

    private static void SetCallbackIrq(XenNexus nexus, ulong value)
    {
        using var arg = nexus.Hypercalls.Prepare<XenHvmParam>();
        arg.Value.Domid = (ushort)XenH.DomidSelf;
        arg.Value.Index = HvmParamsH.HvmParamCallbackIrq;
        arg.Value.Value = value;
        arg.Call(XenOperations.HvmopSetParam);
    }
}
