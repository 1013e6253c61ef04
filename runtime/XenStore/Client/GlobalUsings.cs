global using Xen.Abi.Io;
global using XenH = global::Xen.Abi.Xen;
