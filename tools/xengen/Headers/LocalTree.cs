using XenGen.HeaderImporter;

namespace XenGen.Tool.Headers;

/// <summary>
/// A header tree given by directory rather than by pin, in either of its two shapes: an include directory holding
/// <c>xen/xen.h</c> (what the Debian package installs as <c>usr/include</c>), or the public folder itself holding
/// <c>xen.h</c> (<c>xen/include/public</c> of a Xen source checkout). The second is given to clang, which includes
/// <c>&lt;xen/...&gt;</c>, through a scratch include directory whose <c>xen</c> is a symbolic link to it; that
/// directory is removed on dispose.
/// </summary>
internal sealed class LocalTree : IDisposable
{
    private readonly string? _scratch;

    private LocalTree(string given, HeaderTree tree, string? scratch)
    {
        Given = given;
        Tree = tree;
        _scratch = scratch;
    }

    /// <summary>The directory as given.</summary>
    public string Given { get; }

    /// <summary>The tree, ready for the importer.</summary>
    public HeaderTree Tree { get; }

    /// <summary>True when <see cref="Given"/> is the public folder itself rather than an include directory.</summary>
    public bool IsPublicFolder => _scratch is not null;

    /// <summary>Opens <paramref name="dir"/> in whichever shape it has.</summary>
    /// <exception cref="XenGenException">It is neither shape; the message names it.</exception>
    public static LocalTree Open(string dir)
    {
        string full = Path.GetFullPath(dir);
        if (!Directory.Exists(full))
            throw new XenGenException($"{dir}: no such directory");
        if (File.Exists(Path.Combine(full, "xen", "xen.h")))
            return new LocalTree(dir, new HeaderTree(full), null);
        if (File.Exists(Path.Combine(full, "xen.h")))
        {
            string scratch = Directory.CreateTempSubdirectory("xengen-tree-").FullName;
            try
            {
                Directory.CreateSymbolicLink(Path.Combine(scratch, "xen"), full);
                return new LocalTree(dir, new HeaderTree(scratch), scratch);
            }
            catch
            {
                Directory.Delete(scratch, recursive: true);
                throw;
            }
        }
        throw new XenGenException(
            $"{dir}: not a Xen public header tree: neither {Path.Combine(dir, "xen", "xen.h")} (an include directory) nor {Path.Combine(dir, "xen.h")} (the public folder itself) exists");
    }

    /// <summary>One line saying what was found.</summary>
    public string Describe() => IsPublicFolder
        ? $"{Given}: the public folder itself (holds xen.h), imported as <xen/...>"
        : $"{Given}: an include directory (holds xen/xen.h)";

    public void Dispose()
    {
        if (_scratch is not null && Directory.Exists(_scratch))
            Directory.Delete(_scratch, recursive: true);
    }
}
