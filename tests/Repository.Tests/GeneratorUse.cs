using System.Xml.Linq;

namespace XenGen.Repository.Tests;

/// <summary>
/// Which MSBuild projects run XenGen's source generator: those that reference generators/RingGenerator as an
/// analyzer, reference the XenGen.RingGenerator package, or import the generator's props, directly or through any
/// file they import.
/// </summary>
internal static class GeneratorUse
{
    /// <summary>Every project file below <paramref name="root"/> (build outputs excluded) that runs the generator, relative and with '/'.</summary>
    public static IReadOnlyList<string> ProjectsRunningTheGenerator(string root) =>
        Directory.EnumerateFiles(root, "*.csproj", SearchOption.AllDirectories)
            .Where(p => !IsBuildOutput(root, p))
            .Where(p => RunsTheGenerator(p, new HashSet<string>()))
            .Select(p => Path.GetRelativePath(root, p).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

    private static bool IsBuildOutput(string root, string path) =>
        Path.GetRelativePath(root, path).Replace('\\', '/').Split('/').Any(part => part is "bin" or "obj" or "artifacts");

    private static bool RunsTheGenerator(string file, HashSet<string> seen)
    {
        if (!seen.Add(Path.GetFullPath(file)) || !File.Exists(file)) return false;
        XDocument project;
        try
        {
            project = XDocument.Load(file);
        }
        catch (System.Xml.XmlException e)
        {
            throw new InvalidDataException($"{file}: not an MSBuild file: {e.Message}", e);
        }
        string dir = Path.GetDirectoryName(file)!;
        foreach (var element in project.Descendants())
        {
            string include = (string?)element.Attribute("Include") ?? "";
            switch (element.Name.LocalName)
            {
                case "ProjectReference" when include.Replace('\\', '/').EndsWith("RingGenerator/RingGenerator.csproj", StringComparison.Ordinal)
                                             && string.Equals((string?)element.Attribute("OutputItemType"), "Analyzer", StringComparison.OrdinalIgnoreCase):
                case "PackageReference" when include.Equals("XenGen.RingGenerator", StringComparison.OrdinalIgnoreCase):
                    return true;
                case "Import":
                    string imported = ((string?)element.Attribute("Project") ?? "").Replace('\\', '/');
                    if (imported.EndsWith("XenGen.RingGenerator.props", StringComparison.Ordinal)) return true;
                    if (!imported.Contains("$(", StringComparison.Ordinal) && RunsTheGenerator(Path.Combine(dir, imported), seen)) return true;
                    break;
            }
        }
        return false;
    }
}
