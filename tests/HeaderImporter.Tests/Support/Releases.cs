using System.Collections.Concurrent;
using Xen.Abi.Model;
using XenGen.Tool.Headers;
using XenGen.Tool.Releases;

namespace XenGen.HeaderImporter.Tests.Support;

/// <summary>
/// The pinned releases and their fetched header trees (the test command runs <c>xengen headers fetch all</c>
/// first), with each release imported once per test run and shared by the tests that read it.
/// </summary>
public static class Releases
{
    private static readonly Lazy<ReleaseCatalog> LazyCatalog = new(() =>
        ReleaseCatalog.LoadFromRepository(RepositoryRoot.Locate(null, AppContext.BaseDirectory)));

    private static readonly ConcurrentDictionary<string, Lazy<IReadOnlyList<ImportResult>>> Imports = new();

    public static ReleaseCatalog Catalog => LazyCatalog.Value;

    public static string RepositoryDir => Path.GetDirectoryName(Path.GetDirectoryName(Catalog.SourcePath)!)!;

    public static string ModelsDir => Path.GetDirectoryName(Catalog.SourcePath)!;

    /// <summary>Every (release, arch) pair, for theories.</summary>
    public static TheoryData<string, string> All()
    {
        var data = new TheoryData<string, string>();
        foreach (var pin in Catalog.Releases)
        {
            foreach (var arch in TargetArch.All) data.Add(pin.Release, arch.Name);
        }
        return data;
    }

    public static string IncludeDir(string release) => HeaderCache.Default.IncludeDirOf(release);

    public static HeaderTree Tree(string release) => new(IncludeDir(release));

    /// <summary>A fresh import of <paramref name="release"/> for all four architectures (done once per run).</summary>
    public static ImportResult Import(string release, string arch)
    {
        var results = Imports.GetOrAdd(release, r => new Lazy<IReadOnlyList<ImportResult>>(() =>
            AbiImporter.Import(Tree(r), r, Catalog.Find(r).HeaderTreeSha256, TargetArch.All))).Value;
        return results.Single(x => x.Model.Arch == arch);
    }

    /// <summary>The committed model file of (release, arch).</summary>
    public static AbiModel Committed(string release, string arch) => ModelFile.Read(ModelFile.PathOf(ModelsDir, release, arch));
}
