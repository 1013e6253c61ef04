// Xen.Abi's per-header constant classes whose names collide with .NET or our names get a short alias here, once.
global using XenH = Xen.Abi.Xen;
global using XenVersionH = Xen.Abi.Version;
global using GrantTableH = Xen.Abi.GrantTable;
global using EvtchnH = Xen.Abi.Sys.Evtchn;
global using GntallocH = Xen.Abi.Sys.Gntalloc;
global using GntdevH = Xen.Abi.Sys.Gntdev;
global using PrivcmdH = Xen.Abi.Sys.Privcmd;
