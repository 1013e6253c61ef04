using System.CommandLine;
using Xen.Simulator.Tool;

var root = new RootCommand("xensim: one guest on the simulated Xen, with dom0's XenStore and the guest's pvbus on unix sockets");
root.Subcommands.Add(RunCommand.Create());
return await root.Parse(args).InvokeAsync();
