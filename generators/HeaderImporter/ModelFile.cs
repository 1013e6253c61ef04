using System.Text;
using Xen.Abi.Model;

namespace XenGen.HeaderImporter;

/// <summary>Where models live in the repository, and how they are written: whole or not at all.</summary>
public static class ModelFile
{
    /// <summary><c>xen-public-headers/&lt;release&gt;/&lt;arch&gt;.abi.json</c> under <paramref name="modelsDir"/>.</summary>
    public static string PathOf(string modelsDir, string release, string arch) => Path.Combine(modelsDir, release, arch + ".abi.json");

    /// <summary>
    /// Writes the model to <paramref name="path"/> through a temporary file in the same directory and a rename,
    /// so a reader never sees half a file. Returns true when the file's bytes changed.
    /// </summary>
    public static bool WriteAtomic(string path, AbiModel model)
    {
        byte[] bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(ModelJson.Write(model));
        if (File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes)) return false;
        string dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        string tmp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        try
        {
            File.WriteAllBytes(tmp, bytes);
            File.Move(tmp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
        return true;
    }

    /// <summary>Reads a model file; errors name the file.</summary>
    public static AbiModel Read(string path) => ModelJson.Read(File.ReadAllText(path), path);
}
