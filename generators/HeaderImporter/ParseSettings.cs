namespace XenGen.HeaderImporter;

/// <summary>The clang command line for one (release, architecture): target, defines and include paths.</summary>
internal sealed class ParseSettings
{
    public ParseSettings(HeaderTree tree, TargetArch arch, string interfaceVersion, IReadOnlyList<string> extraDefines, string? publicAlias = null)
    {
        Arch = arch;
        // XEN_WANT_FLEX_CONSOLE_RING opts in to io/console.h's flex ring declaration, so it is in the model too.
        Defines = ["__XEN_TOOLS__", "__XEN_INTERFACE_VERSION__=" + interfaceVersion, "XEN_WANT_FLEX_CONSOLE_RING", .. extraDefines];
        var args = new List<string>
        {
            "-x", "c", "-std=gnu11",
            "-target", arch.Triple,
            "-nostdinc", "-isystem", Prelude.Directory,
            "-I", tree.IncludeDir,
            "-include", Prelude.ForcedInclude,
            "-ferror-limit=0",
            "-Wno-everything",
        };
        if (publicAlias is not null) args.AddRange(["-I", publicAlias]);
        args.AddRange(Defines.Select(d => "-D" + d));
        Arguments = args;
    }

    public TargetArch Arch { get; }

    /// <summary>Macros defined on the command line, recorded in the model.</summary>
    public IReadOnlyList<string> Defines { get; }

    public IReadOnlyList<string> Arguments { get; }
}
