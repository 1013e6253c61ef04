global using Xen.Abi;
global using Xen.Nexus.Platform;
global using XenConst = Xen.Abi.Xen;
global using Evtchn = Xen.Abi.EventChannel;
global using Gnttab = Xen.Abi.GrantTable;
global using XenMem = Xen.Abi.Memory;
global using VcpuOps = Xen.Abi.Vcpu;
global using HvmParams = Xen.Abi.Hvm.Params;
global using HvmOps = Xen.Abi.Hvm.HvmOp;
