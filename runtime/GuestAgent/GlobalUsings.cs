global using Xen.XenStore.Protocol;
