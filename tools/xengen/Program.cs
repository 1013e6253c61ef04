using System.CommandLine;
using XenGen.Tool.Commands;

var root = new RootCommand("xengen: turns the Xen public headers into C# bindings");
GlobalOptions.AddTo(root);
root.Subcommands.Add(HeadersCommand.Create());
root.Subcommands.Add(ImportCommand.Create());
root.Subcommands.Add(VerifyCommand.Create());
root.Subcommands.Add(DiffCommand.Create());
return root.Parse(args).Invoke();
