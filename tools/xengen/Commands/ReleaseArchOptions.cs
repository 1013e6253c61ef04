using System.CommandLine;
using XenGen.HeaderImporter;
using XenGen.Tool.Releases;

namespace XenGen.Tool.Commands;

/// <summary>The <c>--release R|all</c> and <c>--arch A|all</c> options of the commands that work on models.</summary>
internal sealed class ReleaseArchOptions
{
    private readonly Option<string?> _release = new("--release") { Description = "Release from releases.json, or \"all\" (default: its defaultRelease)", HelpName = "R" };
    private readonly Option<string> _arch = new("--arch") { Description = "x86_64, x86_32, arm64, arm32 or all", HelpName = "A", DefaultValueFactory = _ => "all" };

    public ReleaseArchOptions(Command command)
    {
        command.Options.Add(_release);
        command.Options.Add(_arch);
    }

    /// <summary>The pinned releases the options name.</summary>
    public IReadOnlyList<ReleasePin> Pins(ParseResult result, ReleaseCatalog catalog)
    {
        string name = result.GetValue(_release) ?? catalog.DefaultRelease;
        return name == "all" ? catalog.Releases : [catalog.Find(name)];
    }

    /// <summary>True when <c>--release</c> was given.</summary>
    public bool ReleaseGiven(ParseResult result) => result.GetValue(_release) is not null;

    /// <summary>The architectures the options name.</summary>
    public IReadOnlyList<TargetArch> Arches(ParseResult result)
    {
        string value = result.GetValue(_arch)!;
        if (value == "all") return TargetArch.All;
        try
        {
            return [TargetArch.Parse(value)];
        }
        catch (ArgumentException e)
        {
            throw new XenGenException("--arch: " + e.Message);
        }
    }
}
