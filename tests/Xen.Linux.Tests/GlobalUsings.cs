global using Xen.Linux;
global using Xen.Linux.Devices;
global using Xunit;
