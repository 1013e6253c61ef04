global using Xen.Abi.Io;
global using Xen.XenStore.Client;
global using Xen.XenStore.Client.Transports;
global using Xen.XenStore.Protocol;
global using Xen.XenStore.Server;
global using Xunit;
global using XenH = global::Xen.Abi.Xen;
