global using Xunit;
global using Xen.Drivers.Blkback;
global using Xen.Drivers.Xbf;
global using Xen.Drivers.Xbf.Block;
global using Xen.Nexus.Init;
global using Xen.Nexus.Store;
global using Xen.Simulator;
global using Xen.Simulator.Dom0;
