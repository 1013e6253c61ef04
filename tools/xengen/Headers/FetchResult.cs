using XenGen.Tool.Releases;

namespace XenGen.Tool.Headers;

/// <summary>What <see cref="HeaderFetcher.Fetch"/> did.</summary>
public enum FetchOutcome
{
    /// <summary>The cache already held the pinned tree; nothing was downloaded.</summary>
    AlreadyCached,

    /// <summary>The pinned package version was downloaded, its .deb and tree matched the pin.</summary>
    FetchedPinnedVersion,

    /// <summary>
    /// The archive no longer serves the pinned version; the version the same suite serves now was used because its
    /// header tree hashes to the pin.
    /// </summary>
    FetchedOtherVersion,

    /// <summary>A tree pin's tree was copied into the cache from the directory or tarball given, and hashes to the pin.</summary>
    FetchedFromTree,
}

/// <summary>The result of fetching one release.</summary>
/// <param name="Pin">The release fetched.</param>
/// <param name="Outcome">What was done.</param>
/// <param name="PackageVersion">The package version the cached tree came from.</param>
/// <param name="IncludeDir">The include directory of the release in the cache (contains <c>xen/</c>).</param>
public sealed record FetchResult(ReleasePin Pin, FetchOutcome Outcome, string PackageVersion, string IncludeDir);
