namespace XenGen.Tool.Headers;

/// <summary>Unpacks .deb files with <c>dpkg-deb</c>.</summary>
internal static class DebPackage
{
    /// <summary>Extracts the files of <paramref name="debPath"/> under <paramref name="directory"/>.</summary>
    /// <exception cref="XenGenException">dpkg-deb failed, e.g. the file is not a .deb.</exception>
    public static void Extract(string debPath, string directory) =>
        ProcessRunner.RunChecked("dpkg-deb", ["-x", debPath, directory], $"extracting {Path.GetFileName(debPath)}");
}
