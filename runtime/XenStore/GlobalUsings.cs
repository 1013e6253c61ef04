global using Xen.XenStore.Abi.Io;
global using XenH = global::Xen.XenStore.Abi.Xen;
