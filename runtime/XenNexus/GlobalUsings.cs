// Xen.Abi's per-header constant classes whose names collide with .NET or nexus names get a short alias here, once.
global using XenH = Xen.Abi.Xen;
global using XenVersionH = Xen.Abi.Version;
global using GrantTableH = Xen.Abi.GrantTable;
global using MemoryH = Xen.Abi.Memory;
global using FeaturesH = Xen.Abi.Features;
global using HvmOpH = Xen.Abi.Hvm.HvmOp;
global using HvmParamsH = Xen.Abi.Hvm.Params;
global using CpuidLeavesH = Xen.Abi.ArchX86.Cpuid;
