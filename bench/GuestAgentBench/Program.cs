using System.CommandLine;
using XenGen.Bench.GuestAgent;

var agentOption = new Option<string?>("--agent") { Description = "A published NativeAOT xen-guest-agent (default: dotnet publish into a temporary folder, some minutes)" };
var quietOption = new Option<int>("--quiet-seconds") { Description = "Length of the quiet period", DefaultValueFactory = _ => 30 };
var changesOption = new Option<int>("--changes") { Description = "Address changes (half add, half del)", DefaultValueFactory = _ => 1000 };
var outOption = new Option<string>("--out") { Description = "The markdown written", DefaultValueFactory = _ => Path.Combine(RepositoryRoot(), "bench", "results", "guest-agent.md") };
var root = new RootCommand("GuestAgentBench: the agent's CPU time, wake-ups and resident memory, NativeAOT and JIT, quiet and under address changes")
{
    agentOption, quietOption, changesOption, outOption,
};
root.SetAction(async (result, cancel) =>
{
    string aot = result.GetValue(agentOption) ?? Publish();
    string jit = Path.Combine(AppContext.BaseDirectory, "xen-guest-agent.dll");
    var variants = new[]
    {
        new AgentVariant("NativeAOT", aot, []),
        new AgentVariant("JIT (dotnet xen-guest-agent.dll)", "dotnet", [jit]),
    };
    string load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
    var rows = new List<BenchRow>();
    foreach (var variant in variants)
    {
        Console.Error.WriteLine($"{variant.Name}: starting");
        rows.Add(await AgentRun.MeasureAsync(variant, result.GetValue(quietOption), result.GetValue(changesOption), Console.Error.WriteLine));
    }
    string loadAfter = File.ReadAllText("/proc/loadavg").Split(' ')[0];
    string markdown = Report.Markdown(rows, result.GetValue(quietOption), result.GetValue(changesOption), load, loadAfter);
    string output = result.GetValue(outOption)!;
    Directory.CreateDirectory(Path.GetDirectoryName(output)!);
    File.WriteAllText(output + ".tmp", markdown);
    File.Move(output + ".tmp", output, overwrite: true);
    Console.Write(markdown);
    return 0;
});
return await root.Parse(args).InvokeAsync();

static string RepositoryRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "XenGen.sln"))) return dir.FullName;
    }
    return Directory.GetCurrentDirectory();
}

static string Publish()
{
    string folder = Directory.CreateTempSubdirectory("xga-aot-").FullName;
    Console.Error.WriteLine($"publishing the NativeAOT agent into {folder} (some minutes)");
    Shell.Run("dotnet", ["publish", Path.Combine(RepositoryRoot(), "tools", "xen-guest-agent", "xen-guest-agent.csproj"), "-c", "Release", "-r", "linux-x64", "-o", folder, "-nologo", "-v", "quiet"]);
    return Path.Combine(folder, "xen-guest-agent");
}
