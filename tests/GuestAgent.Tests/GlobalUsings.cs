global using Xen.XenStore.Client;
global using Xen.XenStore.Protocol;
global using Xen.XenStore.Server;
global using Xunit;
