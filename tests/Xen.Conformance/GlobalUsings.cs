global using Xen.Abi;
global using XenConst = Xen.Abi.Xen;
global using Evtchn = Xen.Abi.EventChannel;
global using Gnttab = Xen.Abi.GrantTable;
global using XenVer = Xen.Abi.Version;
