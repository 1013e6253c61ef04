namespace XenGen.Tool.Releases;

/// <summary>
/// One pinned Xen release from <c>xen-public-headers/releases.json</c>: the Debian package it was first taken from
/// and the sha256 of its header tree, which is what identifies the release.
/// </summary>
/// <param name="Release">Xen release name, e.g. <c>4.17.5</c>; also the directory name in the header cache.</param>
/// <param name="Suite">Debian suite that served the package, e.g. <c>bookworm</c> or <c>bookworm-security</c>.</param>
/// <param name="Package">Debian binary package holding the headers, e.g. <c>libxen-dev</c>.</param>
/// <param name="PackageVersion">Debian package version the pin was taken from.</param>
/// <param name="DebSha256">sha256 of that .deb file, lowercase hex.</param>
/// <param name="HeaderTreeSha256">sha256 of the header tree as defined by <see cref="Headers.HeaderTreeHash"/>, lowercase hex.</param>
/// <param name="InterfaceVersion"><c>__XEN_LATEST_INTERFACE_VERSION__</c> of the release, e.g. <c>0x00040e00</c>.</param>
/// <param name="Origin">
/// For a tree pin (a release no distribution packages, pinned with <c>xengen headers add R --from DIR|TARBALL</c>):
/// the file name of the tarball or directory it was taken from, for people; null for a Debian pin. A tree pin has no
/// suite, package, package version or .deb hash (they are empty strings): its header tree hash is all that identifies it.
/// </param>
/// <param name="OriginSha256">For a tree pin taken from a tarball: the tarball's sha256; null otherwise.</param>
public sealed record ReleasePin(
    string Release,
    string Suite,
    string Package,
    string PackageVersion,
    string DebSha256,
    string HeaderTreeSha256,
    string InterfaceVersion,
    string? Origin = null,
    string? OriginSha256 = null)
{
    /// <summary>True for a pin taken from a header tree or tarball rather than a Debian package.</summary>
    public bool IsTreePin => Origin is not null;

    /// <summary>A tree pin: no Debian package, only the tree's hash and where it was taken from.</summary>
    public static ReleasePin ForTree(string release, string headerTreeSha256, string interfaceVersion, string origin, string? originSha256) =>
        new(release, "", "", "", "", headerTreeSha256, interfaceVersion, origin, originSha256);

    /// <summary>The Debian codename of <see cref="Suite"/>: <c>bookworm</c> for <c>bookworm-security</c>.</summary>
    public string Codename => Suite.Split('-')[0];
}
