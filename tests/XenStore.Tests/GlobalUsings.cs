global using Xen.Abi.Io;
global using Xen.XenStore.Protocol;
global using Xen.XenStore.Server;
global using Xunit;
