namespace XenGen.Tool.Headers;

/// <summary>
/// The Debian archive, reached through apt with a private sources list, lists and cache under
/// <c>&lt;aptRoot&gt;/&lt;codename&gt;/</c> (see <see cref="PrivateSourcesList"/>). The system's apt configuration
/// and state are only read, never changed.
/// </summary>
public sealed class DebianArchive : IPackageArchive
{
    private readonly string _aptRoot;
    private readonly string _etcApt;
    private readonly string _osRelease;
    private readonly HashSet<string> _updated = [];

    /// <summary>Uses the system's apt sources (<c>/etc/apt</c>) and codename (<c>/etc/os-release</c>).</summary>
    /// <param name="aptRoot">Directory for apt's private state, normally <c>&lt;header cache&gt;/apt</c>.</param>
    public DebianArchive(string aptRoot) : this(aptRoot, "/etc/apt", "/etc/os-release") { }

    internal DebianArchive(string aptRoot, string etcApt, string osRelease)
    {
        _aptRoot = Path.GetFullPath(aptRoot);
        _etcApt = etcApt;
        _osRelease = osRelease;
    }

    /// <summary>Called with a short line before each slow step (apt update, download).</summary>
    public Action<string>? Progress { get; init; }

    /// <inheritdoc />
    public IReadOnlyList<ServedVersion> ServedVersions(string codename, string package)
    {
        var options = Prepare(codename);
        var result = ProcessRunner.RunChecked("apt-cache", [.. options, "madison", package], $"looking up {package} in {codename}");
        return ParseMadison(result.StandardOutput, package);
    }

    /// <inheritdoc />
    public string Download(string codename, string package, string version, string directory)
    {
        var options = Prepare(codename);
        Progress?.Invoke($"downloading {package} {version}");
        ProcessRunner.RunChecked("apt-get", [.. options, "download", $"{package}={version}"],
            $"downloading {package} {version}", workingDirectory: directory);
        var debs = Directory.GetFiles(directory, "*.deb");
        return debs.Length == 1
            ? debs[0]
            : throw new XenGenException($"downloading {package} {version}: expected one .deb in {directory}, found {debs.Length}");
    }

    /// <summary>
    /// Parses <c>apt-cache madison</c> lines: <c>pkg | version | uri suite/component arch Packages</c>.
    /// </summary>
    internal static IReadOnlyList<ServedVersion> ParseMadison(string output, string package)
    {
        var served = new List<ServedVersion>();
        foreach (var line in output.Split('\n'))
        {
            var parts = line.Split('|', StringSplitOptions.TrimEntries);
            if (parts.Length != 3 || parts[0] != package)
                continue;
            var where = parts[2].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (where.Length < 2 || !where[^1].Equals("Packages", StringComparison.Ordinal))
                continue;
            served.Add(new ServedVersion(parts[1], where[1].Split('/')[0]));
        }
        return served;
    }

    private List<string> Prepare(string codename)
    {
        var dir = Path.Combine(_aptRoot, codename);
        var sourcesFile = Path.Combine(dir, "xengen.sources");
        var lists = Path.Combine(dir, "lists");
        var cache = Path.Combine(dir, "cache");
        List<string> options =
        [
            "-o", $"Dir::Etc::SourceList={sourcesFile}",
            "-o", "Dir::Etc::SourceParts=/dev/null",
            "-o", $"Dir::State::Lists={lists}",
            "-o", $"Dir::Cache={cache}",
        ];
        if (_updated.Contains(codename))
            return options;

        var systemCodename = PrivateSourcesList.SystemCodename(_osRelease);
        var sources = PrivateSourcesList.Derive(PrivateSourcesList.ReadSystemSources(_etcApt), systemCodename, codename);
        if (sources.Count == 0)
            throw new XenGenException(
                $"{_etcApt}: no apt source for the system's suites {systemCodename}, {systemCodename}-security or {systemCodename}-updates, " +
                $"from which to derive the sources of {codename}");
        Directory.CreateDirectory(Path.Combine(lists, "partial"));
        Directory.CreateDirectory(Path.Combine(cache, "archives", "partial"));
        File.WriteAllText(sourcesFile, PrivateSourcesList.Render(sources));

        Progress?.Invoke($"updating apt lists for {codename}");
        // Only the Packages indices are needed; skip translations and AppStream metadata.
        ProcessRunner.RunChecked("apt-get",
            [.. options, "-o", "Acquire::Languages=none", "-o", "Acquire::IndexTargets::deb::DEP-11::DefaultEnabled=false", "update"],
            $"updating the apt lists of {codename}");
        _updated.Add(codename);
        return options;
    }
}
