global using Xunit;
global using Xen.Nexus.Init;
global using Xen.Nexus.Store;
global using Xen.Services.Xenbus;
global using Xen.Simulator;
global using Xen.Simulator.Dom0;
global using Xen.Abi.Io;
