namespace XenGen.RealXen.Initramfs;

/// <summary>
/// The modules of one kernel release as <c>depmod</c> listed them in <c>modules.dep</c>: resolves a set of module
/// names to the files to load, each after the modules it depends on (the order <c>modprobe</c> loads them in).
/// </summary>
internal sealed class KernelModules
{
    private readonly Dictionary<string, string[]> _dependencies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _pathByName = new(StringComparer.Ordinal);

    /// <summary>Reads <c>modules.dep</c> of the modules folder <paramref name="directory"/> (<c>lib/modules/RELEASE</c>).</summary>
    public KernelModules(string directory)
    {
        Directory = directory;
        var dep = Path.Combine(directory, "modules.dep");
        if (!File.Exists(dep)) throw new FileNotFoundException($"{dep}: no modules.dep (was depmod run on this kernel's modules?)", dep);
        foreach (var line in File.ReadLines(dep))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0) continue;
            var module = line[..colon];
            _dependencies[module] = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            _pathByName[NameOf(module)] = module;
        }
    }

    /// <summary>The modules folder.</summary>
    public string Directory { get; }

    /// <summary>
    /// The files (relative to <see cref="Directory"/>) that loading <paramref name="names"/> takes, dependencies
    /// first, each once. A name is a module's name as modprobe takes it (<c>9pnet_virtio</c>, <c>xen-blkfront</c>).
    /// </summary>
    public IReadOnlyList<string> LoadOrder(IEnumerable<string> names)
    {
        var order = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (!_pathByName.TryGetValue(Canonical(name), out var path))
                throw new ArgumentException($"module '{name}' is not in {Path.Combine(Directory, "modules.dep")} (built in, or not built for this kernel)");
            Visit(path, order, seen, []);
        }
        return order;
    }

    private void Visit(string module, List<string> order, HashSet<string> seen, HashSet<string> path)
    {
        if (seen.Contains(module)) return;
        if (!path.Add(module)) throw new InvalidOperationException($"modules.dep has a dependency cycle through {module}");
        // modules.dep lists every transitive dependency; visiting each in turn still orders them among themselves.
        foreach (var dependency in _dependencies.GetValueOrDefault(module, [])) Visit(dependency, order, seen, path);
        path.Remove(module);
        seen.Add(module);
        order.Add(module);
    }

    /// <summary>The module name of a path in modules.dep: file name without <c>.ko</c>, dashes as underscores.</summary>
    private static string NameOf(string module)
    {
        var file = Path.GetFileName(module);
        var dot = file.IndexOf(".ko", StringComparison.Ordinal);
        return Canonical(dot > 0 ? file[..dot] : file);
    }

    private static string Canonical(string name) => name.Replace('-', '_');
}
