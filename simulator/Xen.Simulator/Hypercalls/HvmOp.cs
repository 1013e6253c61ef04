namespace Xen.Simulator.Hypercalls;

/// <summary>
/// __HYPERVISOR_hvm_op: HVMOP_set_param, HVMOP_get_param (with Xen's hvm_allow_set_param/hvm_allow_get_param
/// rules for a guest acting on itself) and HVMOP_set_evtchn_upcall_vector.
/// </summary>
internal static unsafe class HvmOp
{
    internal static long Handle(HypercallContext call, ulong op, ulong arg) => op switch
    {
        HvmOps.HvmopSetParam => SetParam(call, arg),
        HvmOps.HvmopGetParam => GetParam(call, arg),
        HvmOps.HvmopSetEvtchnUpcallVector => SetEvtchnUpcallVector(call, arg),
        _ => Errno.NoSys,
    };

    private static long SetParam(HypercallContext call, ulong arg)
    {
        var rc = Decode(call, arg, out var param, out var target);
        if (rc != 0)
        {
            return rc;
        }

        lock (call.Domain.Lock)
        {
            rc = AllowSet(call, target!, param->Index, param->Value);
            if (rc != 0)
            {
                return rc;
            }

            target!.SetHvmParam(param->Index, param->Value);
            return 0;
        }
    }

    private static long GetParam(HypercallContext call, ulong arg)
    {
        var rc = Decode(call, arg, out var param, out var target);
        if (rc != 0)
        {
            return rc;
        }

        if (ReferenceEquals(target, call.Domain) && !GuestMayRead(param->Index))
        {
            return Errno.Permission;
        }

        param->Value = target!.HvmParam(param->Index);
        return 0;
    }

    /// <summary>The argument of set_param and get_param: in guest memory, a parameter index Xen has, a domain the caller may name.</summary>
    private static long Decode(HypercallContext call, ulong arg, out Abi.Hvm.XenHvmParam* param, out SimulatedDomain? target)
    {
        target = null;
        param = call.Memory.Pointer<Abi.Hvm.XenHvmParam>(arg);
        if (param is null)
        {
            return Errno.Fault;
        }

        if (param->Index >= HvmParams.HvmNrParams)
        {
            return Errno.Invalid;
        }

        return call.Target(param->Domid, out target);
    }

    /// <summary>hvm_allow_set_param: what a guest may set on itself; set-once params; the rest only the toolstack.</summary>
    private static long AllowSet(HypercallContext call, SimulatedDomain target, uint index, ulong value)
    {
        switch (index)
        {
            case HvmParams.HvmParamCallbackIrq:
            case HvmParams.HvmParamVm86Tss:
            case HvmParams.HvmParamVm86TssSized:
            case HvmParams.HvmParamAcpiIoportsLocation:
            case HvmParams.HvmParamVmGenerationIdAddr:
            case HvmParams.HvmParamStoreEvtchn:
            case HvmParams.HvmParamConsoleEvtchn:
            case HvmParams.HvmParamX87FipWidth:
                return 0;
            case HvmParams.HvmParamViridian:
            case HvmParams.HvmParamIoreqServerPfn:
            case HvmParams.HvmParamNrIoreqServerPages:
            case HvmParams.HvmParamMcaCap:
                var old = target.HvmParam(index);
                return old != 0 && old != value ? Errno.Exists : 0;
            default:
                return ReferenceEquals(target, call.Domain) ? Errno.Permission : 0;
        }
    }

    /// <summary>hvm_allow_get_param: what a guest may read of itself.</summary>
    private static bool GuestMayRead(uint index) => index switch
    {
        HvmParams.HvmParamCallbackIrq or HvmParams.HvmParamVm86Tss or HvmParams.HvmParamVm86TssSized
            or HvmParams.HvmParamAcpiIoportsLocation or HvmParams.HvmParamVmGenerationIdAddr
            or HvmParams.HvmParamStorePfn or HvmParams.HvmParamStoreEvtchn or HvmParams.HvmParamConsolePfn
            or HvmParams.HvmParamConsoleEvtchn or HvmParams.HvmParamX87FipWidth => true,
        _ => false,
    };

    private static long SetEvtchnUpcallVector(HypercallContext call, ulong arg)
    {
        var op = call.Memory.Pointer<Abi.Hvm.XenHvmEvtchnUpcallVector>(arg);
        if (op is null)
        {
            return Errno.Fault;
        }

        if (op->Vector < 0x10)
        {
            return Errno.Invalid;
        }

        if (!call.Domain.IsValidVcpu(op->Vcpu))
        {
            return Errno.NoEntry;
        }

        lock (call.Domain.Lock)
        {
            call.Domain.Vcpu((int)op->Vcpu).UpcallVector = op->Vector;
            call.Domain.ReassertCallbacks();
        }

        return 0;
    }
}
