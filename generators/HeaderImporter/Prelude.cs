using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace XenGen.HeaderImporter;

/// <summary>
/// Our freestanding replacement for the C library headers (the packaged libclang ships no builtin headers,
/// and the host's would describe the wrong target). Written once to a directory named by its content hash.
/// </summary>
internal static class Prelude
{
    private static readonly Lazy<string> Dir = new(WriteOnce, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The directory given to clang with <c>-isystem</c>.</summary>
    public static string Directory => Dir.Value;

    /// <summary>The file force-included before each header.</summary>
    public static string ForcedInclude => Path.Combine(Directory, "xengen_prelude.h");

    private static string WriteOnce()
    {
        var asm = typeof(Prelude).Assembly;
        var files = asm.GetManifestResourceNames()
            .Where(n => n.StartsWith("prelude/", StringComparison.Ordinal))
            .OrderBy(n => n, StringComparer.Ordinal)
            .Select(n => (Name: n.Substring("prelude/".Length), Text: Read(asm, n)))
            .ToList();
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(files.Select(f => f.Name + "\0" + f.Text + "\0"))));
        string dir = Path.Combine(Path.GetTempPath(), "xengen-prelude-" + Convert.ToHexStringLower(hash)[..16]);
        if (System.IO.Directory.Exists(dir)) return dir;
        string tmp = dir + ".tmp-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N");
        foreach (var (name, text) in files)
        {
            string path = Path.Combine(tmp, name);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
        }
        try
        {
            System.IO.Directory.Move(tmp, dir);
        }
        catch (IOException) when (System.IO.Directory.Exists(dir))
        {
            System.IO.Directory.Delete(tmp, recursive: true); // another process wrote the same content first
        }
        return dir;
    }

    private static string Read(Assembly asm, string name)
    {
        using var s = asm.GetManifestResourceStream(name)!;
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }
}
