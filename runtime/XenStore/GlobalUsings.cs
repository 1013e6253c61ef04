global using Xen.XenStore.Abi.Io;
