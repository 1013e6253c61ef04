using XenGen.Tool.Releases;

namespace XenGen.Tool.Headers;

/// <summary>
/// Brings the header tree of a pinned release into the <see cref="HeaderCache"/>, following the release pin rules
/// of DESIGN.md: the pinned package version first (its .deb must match <see cref="ReleasePin.DebSha256"/>); when the
/// archive no longer serves it, the version its suite serves now, accepted only if its tree hashes to
/// <see cref="ReleasePin.HeaderTreeSha256"/>. Work happens in a scratch directory inside the cache and lands by a
/// rename, so a failure leaves the cache as it was.
/// </summary>
public sealed class HeaderFetcher
{
    private readonly HeaderCache _cache;
    private readonly IPackageArchive _archive;

    /// <summary>Fetches into <paramref name="cache"/> from <paramref name="archive"/>.</summary>
    public HeaderFetcher(HeaderCache cache, IPackageArchive archive)
    {
        _cache = cache;
        _archive = archive;
    }

    /// <summary>Makes sure the cache holds the pinned tree of <paramref name="pin"/>.</summary>
    /// <exception cref="XenGenException">
    /// A tree pin (<see cref="ReleasePin.IsTreePin"/>) that is not cached: it can only come from its tree
    /// (<see cref="ReleasePinner.FetchFromTree"/>). The archive serves neither the pinned version nor a version of the same tree, a .deb or tree does not match
    /// the pin, or apt/dpkg failed. The cache is left unchanged.
    /// </exception>
    public FetchResult Fetch(ReleasePin pin)
    {
        if (_cache.TryGetIncludeDir(pin.Release, out var cached) && HeaderTreeHash.Compute(cached) == pin.HeaderTreeSha256)
            return new FetchResult(pin, FetchOutcome.AlreadyCached, _cache.ReadSource(pin.Release)?.PackageVersion ?? "?", cached);
        if (pin.IsTreePin)
            throw new XenGenException(
                $"release {pin.Release} is pinned from a header tree ({pin.Origin}), which no archive serves, and the cache {_cache.Root} does not hold it; " +
                $"run `xengen headers fetch {pin.Release} --from DIR|TARBALL` with that tree");

        var (version, outcome) = ChooseVersion(pin);
        Directory.CreateDirectory(_cache.Root);
        var scratch = _cache.CreateScratchDir(pin.Release);
        try
        {
            var staged = Stage(pin, version, outcome, scratch);
            _cache.Install(pin.Release, staged);
        }
        finally
        {
            if (Directory.Exists(scratch))
                Directory.Delete(scratch, recursive: true);
        }

        var includeDir = _cache.IncludeDirOf(pin.Release);
        var landed = HeaderTreeHash.Compute(includeDir);
        if (landed != pin.HeaderTreeSha256)
        {
            Directory.Delete(_cache.ReleaseDir(pin.Release), recursive: true);
            throw new XenGenException(
                $"release {pin.Release}: the tree in the cache hashes to {landed} after the move, not {pin.HeaderTreeSha256}; removed it");
        }
        return new FetchResult(pin, outcome, version, includeDir);
    }

    private (string Version, FetchOutcome Outcome) ChooseVersion(ReleasePin pin)
    {
        var served = NamingRelease(pin, () => _archive.ServedVersions(pin.Codename, pin.Package));
        if (served.Any(s => s.Version == pin.PackageVersion))
            return (pin.PackageVersion, FetchOutcome.FetchedPinnedVersion);

        var inSuite = served.FirstOrDefault(s => s.Suite == pin.Suite)
            ?? throw new XenGenException(
                $"release {pin.Release}: the archive serves neither {pin.Package} {pin.PackageVersion} nor any {pin.Package} in {pin.Suite}");
        return (inSuite.Version, FetchOutcome.FetchedOtherVersion);
    }

    // Downloads, checks and extracts into scratch; returns a release directory ready to be renamed into place.
    private string Stage(ReleasePin pin, string version, FetchOutcome outcome, string scratch)
    {
        var download = Directory.CreateDirectory(Path.Combine(scratch, "download")).FullName;
        var deb = NamingRelease(pin, () => _archive.Download(pin.Codename, pin.Package, version, download));
        var debSha = HeaderTreeHash.FileSha256(deb);
        if (outcome == FetchOutcome.FetchedPinnedVersion && debSha != pin.DebSha256)
            throw new XenGenException(
                $"release {pin.Release}: {Path.GetFileName(deb)} has sha256 {debSha} but releases.json pins {pin.DebSha256}; nothing written");

        var extracted = Path.Combine(scratch, "extracted");
        NamingRelease(pin, () => DebPackage.Extract(deb, extracted));
        var extractedInclude = Path.Combine(extracted, "usr", "include");
        if (!Directory.Exists(Path.Combine(extractedInclude, "xen")))
            throw new XenGenException($"release {pin.Release}: {Path.GetFileName(deb)} has no usr/include/xen; nothing written");

        var tree = HeaderTreeHash.Compute(extractedInclude);
        if (tree != pin.HeaderTreeSha256)
        {
            throw new XenGenException(outcome == FetchOutcome.FetchedPinnedVersion
                ? $"release {pin.Release}: {pin.Package} {version} matches debSha256 but its header tree hashes to {tree}, not the pinned {pin.HeaderTreeSha256}; releases.json is inconsistent"
                : $"release {pin.Release}: the archive no longer serves {pin.Package} {pin.PackageVersion}, and {version} from {pin.Suite} has a different header tree ({tree}, pinned {pin.HeaderTreeSha256}); that is a new release to import, not a substitute; nothing written");
        }

        var staged = Path.Combine(scratch, "release");
        Directory.CreateDirectory(Path.Combine(staged, "include"));
        Directory.Move(Path.Combine(extractedInclude, "xen"), Path.Combine(staged, "include", "xen"));
        new CachedSource(pin.Release, pin.Package, version, debSha, tree).Write(Path.Combine(staged, CachedSource.FileName));
        return staged;
    }

    // apt and dpkg errors name the package, not the release being fetched.
    private static T NamingRelease<T>(ReleasePin pin, Func<T> step)
    {
        try
        {
            return step();
        }
        catch (XenGenException e)
        {
            throw new XenGenException($"release {pin.Release}: {e.Message}", e);
        }
    }

    private static void NamingRelease(ReleasePin pin, Action step) => NamingRelease(pin, () => { step(); return 0; });
}
