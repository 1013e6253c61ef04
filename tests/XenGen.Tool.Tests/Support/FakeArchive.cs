using XenGen.Tool.Headers;

namespace XenGen.Tool.Tests.Support;

/// An archive that serves prepared .deb files and counts what it is asked.
public sealed class FakeArchive : IPackageArchive
{
    private readonly List<(ServedVersion Served, string Deb)> _debs = [];

    public int Lookups { get; private set; }

    public List<string> Downloads { get; } = [];

    public FakeArchive Serve(string version, string suite, string deb)
    {
        _debs.Add((new ServedVersion(version, suite), deb));
        return this;
    }

    public IReadOnlyList<ServedVersion> ServedVersions(string codename, string package)
    {
        Lookups++;
        return _debs.Select(d => d.Served).Where(s => s.Suite.Split('-')[0] == codename).ToList();
    }

    public string Download(string codename, string package, string version, string directory)
    {
        Downloads.Add(version);
        var deb = _debs.Single(d => d.Served.Version == version).Deb;
        var target = Path.Combine(directory, Path.GetFileName(deb));
        File.Copy(deb, target);
        return target;
    }
}
