using XenGen.HeaderImporter;
using XenGen.Tool.Releases;

namespace XenGen.Tool.Headers;

/// <summary>
/// Pins a new release (<c>xengen headers add</c>): from a Debian <c>libxen-dev</c> fetched with apt through the
/// private sources list, or from a header tree or tarball. The tree lands in the cache first (so the next
/// <c>headers fetch</c> is a no-op), then <c>releases.json</c> is rewritten through a temporary file and a rename.
/// Nothing is written when any check fails.
/// </summary>
public sealed class ReleasePinner
{
    /// <summary>The Debian package that holds the Xen public headers.</summary>
    public const string Package = "libxen-dev";

    private readonly HeaderCache _cache;
    private readonly IPackageArchive? _archive;

    /// <summary>Pins into <paramref name="cache"/>; <paramref name="archive"/> is needed only for Debian pins.</summary>
    public ReleasePinner(HeaderCache cache, IPackageArchive? archive = null)
    {
        _cache = cache;
        _archive = archive;
    }

    /// <summary>Pins <paramref name="release"/> from the <c>libxen-dev</c> that <paramref name="suite"/> serves.</summary>
    /// <param name="catalog">The catalog to add to; it is saved to its <see cref="ReleaseCatalog.SourcePath"/>.</param>
    /// <param name="release">The new release's name.</param>
    /// <param name="suite">A Debian suite, e.g. <c>trixie</c> or <c>bookworm-security</c>.</param>
    /// <param name="packageVersion">The version to pin; null for the newest <paramref name="suite"/> serves.</param>
    /// <param name="makeDefault">Whether the new release becomes the catalog's default.</param>
    /// <returns>The new pin.</returns>
    /// <exception cref="XenGenException">A duplicate, bad input, or an apt or dpkg failure.</exception>
    public ReleasePin AddFromDebian(ReleaseCatalog catalog, string release, string suite, string? packageVersion, bool makeDefault = false)
    {
        CheckNew(catalog, release);
        if (!ReleaseCatalog.IsSuiteName(suite))
            throw new XenGenException($"--suite {suite}: not a Debian suite (a codename, optionally with -security or -updates)");
        if (packageVersion is not null && !ReleaseCatalog.IsPackageVersion(packageVersion))
            throw new XenGenException($"--package-version {packageVersion}: not a Debian version");
        var archive = _archive ?? throw new InvalidOperationException("no package archive to pin from");
        string codename = suite.Split('-')[0];

        var served = Named(release, () => archive.ServedVersions(codename, Package));
        string version;
        if (packageVersion is null)
        {
            version = served.FirstOrDefault(s => s.Suite == suite)?.Version
                ?? throw new XenGenException($"release {release}: {suite} serves no {Package} (served: {Served(served)})");
        }
        else
        {
            var match = served.FirstOrDefault(s => s.Version == packageVersion)
                ?? throw new XenGenException($"release {release}: the archive does not serve {Package} {packageVersion} in {codename}'s suites (served: {Served(served)})");
            if (match.Suite != suite)
                throw new XenGenException($"release {release}: {Package} {packageVersion} is served by {match.Suite}, not {suite}; pin it with --suite {match.Suite}");
            version = packageVersion;
        }

        return Stage(release, scratch =>
        {
            var download = Directory.CreateDirectory(Path.Combine(scratch, "download")).FullName;
            var deb = Named(release, () => archive.Download(codename, Package, version, download));
            var debSha = HeaderTreeHash.FileSha256(deb);
            var extracted = Path.Combine(scratch, "extracted");
            Named(release, () => { DebPackage.Extract(deb, extracted); return 0; });
            var include = Path.Combine(extracted, "usr", "include");
            if (!Directory.Exists(Path.Combine(include, "xen")))
                throw new XenGenException($"release {release}: {Path.GetFileName(deb)} has no usr/include/xen; nothing written");
            var tree = HeaderTreeHash.Compute(include);
            string interfaceVersion = InterfaceVersion(release, include);
            var pin = new ReleasePin(release, suite, Package, version, debSha, tree, interfaceVersion);
            var staged = Path.Combine(scratch, "release");
            Directory.CreateDirectory(Path.Combine(staged, "include"));
            Directory.Move(Path.Combine(include, "xen"), Path.Combine(staged, "include", "xen"));
            new CachedSource(release, Package, version, debSha, tree).Write(Path.Combine(staged, CachedSource.FileName));
            return (pin, staged);
        }, catalog, makeDefault);
    }

    /// <summary>Pins <paramref name="release"/> from a header tree or tarball (<see cref="TreeSource"/>).</summary>
    /// <exception cref="XenGenException">A duplicate or bad input.</exception>
    public ReleasePin AddFromTree(ReleaseCatalog catalog, string release, string from, bool makeDefault = false)
    {
        CheckNew(catalog, release);
        return Stage(release, scratch =>
        {
            var s = TreeSource.Stage(from, scratch);
            var pin = ReleasePin.ForTree(release, s.HeaderTreeSha256, s.InterfaceVersion, s.Origin, s.OriginSha256);
            WriteTreeSource(pin, s.StagedDir);
            return (pin, s.StagedDir);
        }, catalog, makeDefault);
    }

    /// <summary>
    /// Puts the tree of an existing pin into the cache from a directory or tarball (<c>headers fetch R --from X</c>),
    /// the way a tree pin is fetched on another machine; the tree must hash to the pin.
    /// </summary>
    /// <exception cref="XenGenException">The tree is not the pinned one, or bad input.</exception>
    public FetchResult FetchFromTree(ReleasePin pin, string from)
    {
        Directory.CreateDirectory(_cache.Root);
        var scratch = _cache.CreateScratchDir(pin.Release);
        try
        {
            var s = TreeSource.Stage(from, scratch);
            if (s.HeaderTreeSha256 != pin.HeaderTreeSha256)
                throw new XenGenException($"release {pin.Release}: the header tree of {from} hashes to {s.HeaderTreeSha256}, but releases.json pins {pin.HeaderTreeSha256}; nothing written");
            WriteTreeSource(pin, s.StagedDir);
            _cache.Install(pin.Release, s.StagedDir);
        }
        finally
        {
            if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);
        }
        return new FetchResult(pin, FetchOutcome.FetchedFromTree, pin.Origin ?? Path.GetFileName(from), _cache.IncludeDirOf(pin.Release));
    }

    private static void WriteTreeSource(ReleasePin pin, string stagedDir) =>
        new CachedSource(pin.Release, "(tree)", pin.Origin ?? "", pin.OriginSha256 ?? "", pin.HeaderTreeSha256)
            .Write(Path.Combine(stagedDir, CachedSource.FileName));

    private ReleasePin Stage(string release, Func<string, (ReleasePin Pin, string Staged)> build, ReleaseCatalog catalog, bool makeDefault)
    {
        Directory.CreateDirectory(_cache.Root);
        var scratch = _cache.CreateScratchDir(release);
        try
        {
            var (pin, staged) = build(scratch);
            var updated = catalog.With(pin, makeDefault);
            _cache.Install(release, staged);
            updated.Save();
            return pin;
        }
        finally
        {
            if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);
        }
    }

    private static void CheckNew(ReleaseCatalog catalog, string release)
    {
        ReleaseCatalog.CheckReleaseName(release);
        if (catalog.TryFind(release, out _))
            throw new XenGenException($"release \"{release}\" is already pinned in {catalog.SourcePath}; pick another name (a pin is never replaced)");
    }

    private static string InterfaceVersion(string release, string include)
    {
        try
        {
            return new HeaderTree(include).LatestInterfaceVersion;
        }
        catch (Exception e) when (e is InvalidDataException or DirectoryNotFoundException)
        {
            throw new XenGenException($"release {release}: {e.Message}", e);
        }
    }

    private static string Served(IReadOnlyList<ServedVersion> served) =>
        served.Count == 0 ? "none" : string.Join(", ", served.Select(s => $"{s.Version} in {s.Suite}"));

    private static T Named<T>(string release, Func<T> step)
    {
        try
        {
            return step();
        }
        catch (XenGenException e)
        {
            throw new XenGenException($"release {release}: {e.Message}", e);
        }
    }
}
