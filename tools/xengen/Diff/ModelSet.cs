using Xen.Abi.Model;
using XenGen.HeaderImporter;

namespace XenGen.Tool.Diff;

/// <summary>
/// Finds the models one side of <c>xengen diff</c> names: a release name means its committed models,
/// <c>xen-public-headers/&lt;release&gt;/</c>; anything with a <c>/</c> is a directory of <c>&lt;arch&gt;.abi.json</c>
/// files, such as <c>xengen import --headers</c> writes.
/// </summary>
internal static class ModelSet
{
    /// <summary>The directory of the models <paramref name="side"/> names.</summary>
    /// <exception cref="XenGenException">No such release or directory; the message names it and what exists.</exception>
    public static string Locate(string side, string modelsDir)
    {
        if (side.Contains('/'))
        {
            return Directory.Exists(side)
                ? Path.GetFullPath(side)
                : throw new XenGenException($"{side}: no such directory of models");
        }
        string dir = Path.Combine(modelsDir, side);
        if (Directory.Exists(dir) && Directory.EnumerateFiles(dir, "*.abi.json").Any()) return dir;
        var known = Directory.Exists(modelsDir)
            ? Directory.GetDirectories(modelsDir)
                .Where(d => Directory.EnumerateFiles(d, "*.abi.json").Any())
                .Select(d => Path.GetFileName(d)).Order(StringComparer.Ordinal).ToList()
            : new List<string>();
        throw new XenGenException(
            $"release \"{side}\": no committed models in {dir} (releases with models: {string.Join(", ", known)}); " +
            $"run `xengen import --release {side}`, or give a directory of models with a '/' in its name");
    }

    /// <summary>Reads the <paramref name="arch"/> model of the directory <paramref name="dir"/> that <paramref name="side"/> named.</summary>
    /// <exception cref="XenGenException">The file is missing or not a model of that architecture.</exception>
    public static AbiModel Read(string side, string dir, TargetArch arch)
    {
        string path = Path.Combine(dir, arch.Name + ".abi.json");
        if (!File.Exists(path))
            throw new XenGenException($"{path}: no {arch.Name} model for \"{side}\"");
        AbiModel model;
        try
        {
            model = ModelFile.Read(path);
        }
        catch (Xen.Abi.Model.Json.JsonFormatException e)
        {
            throw new XenGenException(e.Message, e);
        }
        if (model.Arch != arch.Name)
            throw new XenGenException($"{path}: holds a {model.Arch} model, not {arch.Name}");
        return model;
    }
}
