using System.Runtime;
using Xen.Kernel.Machine;

namespace Xen.Kernel.Nexus;

/// <summary>
/// The upcall on a vector, as CallbackVectorStep: with <c>XENFEAT_hvm_callback_vector</c>, the IDT's gate for
/// <see cref="Vector"/> and <c>HVMOP_set_param(HVM_PARAM_CALLBACK_IRQ)</c> of type
/// <c>HVM_PARAM_CALLBACK_TYPE_VECTOR</c>. Xen injects that vector itself while vcpu_info's
/// <c>evtchn_upcall_pending</c> is set, not through the local APIC, so the handler clears the flag and sends no EOI.
/// </summary>
public static unsafe class CallbackVector
{
    /// <summary>The nexus's default vector (NexusOptions.CallbackVector); the test holds them equal.</summary>
    public const uint Vector = 0xf3;

    /// <summary>Whether Xen raises the vector (the feature was offered and the parameter set).</summary>
    public static bool Installed { get; private set; }

    /// <summary>How many upcalls arrived.</summary>
    public static uint Upcalls { get; private set; }

    public static void Attach(uint features)
    {
        if ((features & (1u << (int)XenNumbers.XenfeatHvmCallbackVector)) == 0)
        {
            Log.WriteLine("xen0: no callback vector (XENFEAT_hvm_callback_vector not offered)");
            return;
        }
        Idt.SetGate(Vector, Cpu.UpcallStub());
        var value = ((ulong)XenNumbers.HvmParamCallbackTypeVector << (int)XenNumbers.HvmParamCallbackIrqTypeShift) | Vector;
        if (!HvmParams.Set(XenNumbers.HvmParamCallbackIrq, value, "HVMOP_set_param(HVM_PARAM_CALLBACK_IRQ)"))
            return;
        Installed = true;
        Log.Write("xen0: callback vector ");
        Log.WriteDecimal(Vector);
        Log.Write(" (");
        Log.WriteHex(Vector, 2);
        Log.WriteLine(")");
    }

    /// <summary>The stub's upcall entry calls this with interrupts off.</summary>
    [RuntimeExport("XenKernelUpcall")]
    private static void Upcall()
    {
        Upcalls++;
        EventChannels.Scan();
    }
}
