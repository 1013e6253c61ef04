using System.CommandLine;
using XenGen.RealXen.Commands;

var root = new RootCommand("realxen: real Xen 4.17 under QEMU with a Linux PV dom0 (run), and throwaway Linux guests from that dom0 (guest)");
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(GuestCommand.Create());
var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors) Console.Error.WriteLine($"realxen: {error.Message} (try --help)");
    return ExitCodes.Usage;
}
return await parsed.InvokeAsync();
