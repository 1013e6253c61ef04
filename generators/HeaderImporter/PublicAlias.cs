namespace XenGen.HeaderImporter;

/// <summary>
/// Lets the headers' second include spelling resolve. Users include the public headers as <c>&lt;xen/...&gt;</c>;
/// Xen's own build includes them as <c>"public/..."</c> (with <c>-I xen/include</c>), and a header written that way
/// (<c>arch-arm/smccc.h</c> includes <c>"public/xen.h"</c>) does not compile in an installed tree, so its
/// declarations and constants were lost. This is a scratch directory whose <c>public</c> is a symbolic link to the
/// tree's <c>xen/</c>, given to clang with <c>-I</c> after the include directory; it is removed on dispose. Through
/// it clang reaches the same files (include guards hold), and every header is still parsed after <c>xen.h</c>.
/// </summary>
public sealed class PublicAlias : IDisposable
{
    private PublicAlias(string directory) => Directory = directory;

    /// <summary>The directory to pass with <c>-I</c>: it holds <c>public</c>, a link to the tree's <c>xen/</c>.</summary>
    public string Directory { get; }

    /// <summary>Creates the alias of <paramref name="xenDir"/> in a new temporary directory.</summary>
    public static PublicAlias Create(string xenDir)
    {
        string dir = System.IO.Directory.CreateTempSubdirectory("xengen-public-").FullName;
        System.IO.Directory.CreateSymbolicLink(Path.Combine(dir, "public"), Path.GetFullPath(xenDir));
        return new PublicAlias(dir);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true);
    }
}
