namespace Xen.GuestAgent.Collectors;

/// <summary>What the guest says about its operating system.</summary>
/// <param name="Id">os-release's <c>ID</c> (<c>debian</c>).</param>
/// <param name="Name">os-release's <c>NAME</c> (<c>Debian GNU/Linux</c>).</param>
/// <param name="PrettyName">os-release's <c>PRETTY_NAME</c>, else <c>NAME</c> and <c>VERSION</c>.</param>
/// <param name="VersionId">os-release's <c>VERSION_ID</c> (<c>12</c>), or null.</param>
/// <param name="MajorVersion">The first component of the version, or null.</param>
/// <param name="MinorVersion">The second (Debian's from <c>/etc/debian_version</c> when <c>VERSION_ID</c> has none), or null.</param>
/// <param name="KernelRelease">What <c>uname -r</c> prints.</param>
public sealed record OsInfo(string Id, string Name, string PrettyName, string? VersionId, string? MajorVersion, string? MinorVersion, string KernelRelease);
