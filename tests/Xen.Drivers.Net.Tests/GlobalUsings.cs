global using Xunit;
global using Xen.Drivers.Ethernet.Frames;
global using Xen.Drivers.Netback;
global using Xen.Drivers.Xnf;
global using Xen.Nexus.Init;
global using Xen.Nexus.Store;
global using Xen.Simulator;
global using Xen.Simulator.Dom0;
