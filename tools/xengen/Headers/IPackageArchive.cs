namespace XenGen.Tool.Headers;

/// <summary>A package version an archive serves, and the suite that serves it.</summary>
/// <param name="Version">Debian package version.</param>
/// <param name="Suite">Suite serving it, e.g. <c>bookworm-security</c>.</param>
public sealed record ServedVersion(string Version, string Suite);

/// <summary>Where <see cref="HeaderFetcher"/> gets .deb files: the Debian archive through apt, or a stand-in in tests.</summary>
public interface IPackageArchive
{
    /// <summary>
    /// The versions of <paramref name="package"/> served now by the suites of <paramref name="codename"/>
    /// (the codename and its -security and -updates suites), highest first within each suite.
    /// </summary>
    IReadOnlyList<ServedVersion> ServedVersions(string codename, string package);

    /// <summary>Downloads one version into the empty directory <paramref name="directory"/>; returns the .deb's path.</summary>
    /// <exception cref="XenGenException">The download failed.</exception>
    string Download(string codename, string package, string version, string directory);
}
