global using Xunit;
global using Xen.Nexus.Init;
global using Xen.Simulator;
global using XenH = Xen.Abi.Xen;
