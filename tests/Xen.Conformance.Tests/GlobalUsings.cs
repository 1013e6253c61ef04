global using Xen.Abi;
global using Xen.Simulator;
global using Xunit;
global using XenConst = Xen.Abi.Xen;
global using Gnttab = Xen.Abi.GrantTable;
global using XenMem = Xen.Abi.Memory;
