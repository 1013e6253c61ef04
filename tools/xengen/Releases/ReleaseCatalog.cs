using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace XenGen.Tool.Releases;

/// <summary>
/// The pinned Xen releases of <c>xen-public-headers/releases.json</c>, validated on load.
/// </summary>
public sealed partial class ReleaseCatalog
{
    /// <summary>Path of the catalog relative to the repository root.</summary>
    public const string RelativePath = "xen-public-headers/releases.json";

    private static readonly string[] PinFields =
        ["release", "suite", "package", "packageVersion", "debSha256", "headerTreeSha256", "interfaceVersion"];

    private static readonly string[] TreePinFields = ["release", "origin", "originSha256", "headerTreeSha256", "interfaceVersion"];

    private ReleaseCatalog(string sourcePath, string defaultRelease, IReadOnlyList<ReleasePin> releases)
    {
        SourcePath = sourcePath;
        DefaultRelease = defaultRelease;
        Releases = releases;
    }

    /// <summary>The file the catalog was read from (or the name given to <see cref="Parse"/>).</summary>
    public string SourcePath { get; }

    /// <summary>Name of the release used when a command is given none; always one of <see cref="Releases"/>.</summary>
    public string DefaultRelease { get; }

    /// <summary>The pins, in file order.</summary>
    public IReadOnlyList<ReleasePin> Releases { get; }

    /// <summary>The pin named by <see cref="DefaultRelease"/>.</summary>
    public ReleasePin Default => Find(DefaultRelease);

    /// <summary>Loads the catalog of the repository at <paramref name="repositoryRoot"/>.</summary>
    /// <exception cref="XenGenException">The file is missing or invalid.</exception>
    public static ReleaseCatalog LoadFromRepository(string repositoryRoot) =>
        Load(Path.Combine(repositoryRoot, RelativePath));

    /// <summary>Loads and validates a catalog file.</summary>
    /// <exception cref="XenGenException">The file is missing or invalid; the message names the file.</exception>
    public static ReleaseCatalog Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new XenGenException($"{path}: cannot read the release catalog: {e.Message}", e);
        }
        return Parse(text, path);
    }

    /// <summary>Parses and validates catalog text; <paramref name="sourcePath"/> names the input in every error.</summary>
    /// <exception cref="XenGenException">The text is not a valid catalog.</exception>
    public static ReleaseCatalog Parse(string json, string sourcePath)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw Invalid(sourcePath, $"not valid JSON: {e.Message}");
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw Invalid(sourcePath, "the top level must be an object with \"defaultRelease\" and \"releases\"");
            RejectUnknown(root, ["defaultRelease", "releases"], "the top level", sourcePath);

            var defaultRelease = RequiredString(root, "defaultRelease", "the top level", sourcePath);
            if (!root.TryGetProperty("releases", out var list) || list.ValueKind != JsonValueKind.Array)
                throw Invalid(sourcePath, "\"releases\" must be an array of release pins");
            if (list.GetArrayLength() == 0)
                throw Invalid(sourcePath, "\"releases\" is empty");

            var pins = new List<ReleasePin>();
            foreach (var element in list.EnumerateArray())
            {
                var pin = ReadPin(element, $"releases[{pins.Count}]", sourcePath);
                if (pins.Any(p => p.Release == pin.Release))
                    throw Invalid(sourcePath, $"release \"{pin.Release}\" is pinned twice");
                pins.Add(pin);
            }
            if (!pins.Any(p => p.Release == defaultRelease))
                throw Invalid(sourcePath, $"defaultRelease \"{defaultRelease}\" is not one of the releases ({Names(pins)})");
            return new ReleaseCatalog(sourcePath, defaultRelease, pins);
        }
    }

    /// <summary>Finds a release by name.</summary>
    /// <exception cref="XenGenException">No such release; the message lists the known ones.</exception>
    public ReleasePin Find(string release) =>
        TryFind(release, out var pin)
            ? pin
            : throw new XenGenException($"unknown release \"{release}\" (known in {SourcePath}: {Names(Releases)})");

    /// <summary>Finds a release by name, without throwing.</summary>
    public bool TryFind(string release, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ReleasePin? pin)
    {
        pin = Releases.FirstOrDefault(p => p.Release == release);
        return pin is not null;
    }

    /// <summary>A copy of this catalog with <paramref name="pin"/> appended (and made the default when asked).</summary>
    /// <exception cref="XenGenException">The release or its header tree is already pinned.</exception>
    public ReleaseCatalog With(ReleasePin pin, bool makeDefault = false)
    {
        if (TryFind(pin.Release, out _))
            throw new XenGenException($"release \"{pin.Release}\" is already pinned in {SourcePath}");
        if (Releases.FirstOrDefault(p => p.HeaderTreeSha256 == pin.HeaderTreeSha256) is { } same)
            throw new XenGenException(
                $"release \"{pin.Release}\": its header tree ({pin.HeaderTreeSha256}) is already pinned as release \"{same.Release}\" in {SourcePath}");
        // Round-trip through the parser so that the new pin is held to the rules of a loaded one.
        return Parse(new ReleaseCatalog(SourcePath, makeDefault ? pin.Release : DefaultRelease, [.. Releases, pin]).ToJson(), SourcePath);
    }

    /// <summary>The catalog as <c>releases.json</c> holds it: two-space indentation, members in a fixed order, a final newline.</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("defaultRelease", DefaultRelease);
            w.WriteStartArray("releases");
            foreach (var p in Releases)
            {
                w.WriteStartObject();
                w.WriteString("release", p.Release);
                if (p.IsTreePin)
                {
                    w.WriteString("origin", p.Origin);
                    if (p.OriginSha256 is not null) w.WriteString("originSha256", p.OriginSha256);
                }
                else
                {
                    w.WriteString("suite", p.Suite);
                    w.WriteString("package", p.Package);
                    w.WriteString("packageVersion", p.PackageVersion);
                    w.WriteString("debSha256", p.DebSha256);
                }
                w.WriteString("headerTreeSha256", p.HeaderTreeSha256);
                w.WriteString("interfaceVersion", p.InterfaceVersion);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>Writes <see cref="ToJson"/> to <see cref="SourcePath"/> through a temporary file and a rename.</summary>
    public void Save() => AtomicFile.WriteAllText(SourcePath, ToJson());

    /// <summary>Checks a release name as a pin's is checked: it becomes a cache directory, and "all" is a keyword.</summary>
    /// <exception cref="XenGenException">The name is not allowed; the message says why.</exception>
    public static void CheckReleaseName(string release)
    {
        if (!ReleaseName().IsMatch(release) || release == "all")
            throw new XenGenException($"release \"{release}\": a release name must be letters, digits, '.', '+', '_' or '-', start with a letter or digit, and not be \"all\"");
    }

    private static ReleasePin ReadPin(JsonElement e, string where, string source)
    {
        if (e.ValueKind != JsonValueKind.Object)
            throw Invalid(source, $"{where} must be an object");
        string Get(string name) => RequiredString(e, name, where, source);
        ReleasePin pin;
        if (e.TryGetProperty("origin", out _))
        {
            RejectUnknown(e, TreePinFields, where, source);
            string? originSha = e.TryGetProperty("originSha256", out _) ? Get("originSha256") : null;
            pin = ReleasePin.ForTree(Get("release"), Get("headerTreeSha256"), Get("interfaceVersion"), Get("origin"), originSha);
            where = $"{where} (release \"{pin.Release}\")";
            if (originSha is not null && !Sha256Hex().IsMatch(originSha))
                throw Invalid(source, $"{where}: originSha256 must be 64 lowercase hex digits");
        }
        else
        {
            RejectUnknown(e, PinFields, where, source);
            pin = new ReleasePin(Get("release"), Get("suite"), Get("package"), Get("packageVersion"),
                Get("debSha256"), Get("headerTreeSha256"), Get("interfaceVersion"));
            where = $"{where} (release \"{pin.Release}\")";
        }

        // The release name becomes a cache directory and "all" is a command-line keyword.
        if (!ReleaseName().IsMatch(pin.Release) || pin.Release == "all")
            throw Invalid(source, $"{where}: release name must be letters, digits, '.', '+', '_' or '-', start with a letter or digit, and not be \"all\"");
        if (pin.IsTreePin)
        {
            if (!Sha256Hex().IsMatch(pin.HeaderTreeSha256))
                throw Invalid(source, $"{where}: headerTreeSha256 must be 64 lowercase hex digits");
            if (!InterfaceVersionText().IsMatch(pin.InterfaceVersion))
                throw Invalid(source, $"{where}: interfaceVersion must be 0x followed by 8 lowercase hex digits");
            return pin;
        }
        if (!SuiteName().IsMatch(pin.Suite))
            throw Invalid(source, $"{where}: suite \"{pin.Suite}\" must be a Debian codename, optionally with -security or -updates");
        if (!PackageName().IsMatch(pin.Package))
            throw Invalid(source, $"{where}: package \"{pin.Package}\" is not a Debian package name");
        if (!PackageVersionText().IsMatch(pin.PackageVersion))
            throw Invalid(source, $"{where}: packageVersion \"{pin.PackageVersion}\" is not a Debian version");
        if (!Sha256Hex().IsMatch(pin.DebSha256))
            throw Invalid(source, $"{where}: debSha256 must be 64 lowercase hex digits");
        if (!Sha256Hex().IsMatch(pin.HeaderTreeSha256))
            throw Invalid(source, $"{where}: headerTreeSha256 must be 64 lowercase hex digits");
        if (!InterfaceVersionText().IsMatch(pin.InterfaceVersion))
            throw Invalid(source, $"{where}: interfaceVersion must be 0x followed by 8 lowercase hex digits");
        return pin;
    }

    private static string RequiredString(JsonElement e, string name, string where, string source)
    {
        if (!e.TryGetProperty(name, out var value))
            throw Invalid(source, $"{where}: missing \"{name}\"");
        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } text)
            throw Invalid(source, $"{where}: \"{name}\" must be a non-empty string");
        return text;
    }

    private static void RejectUnknown(JsonElement e, string[] known, string where, string source)
    {
        foreach (var p in e.EnumerateObject())
        {
            if (!known.Contains(p.Name, StringComparer.Ordinal))
                throw Invalid(source, $"{where}: unknown property \"{p.Name}\" (expected {string.Join(", ", known)})");
        }
    }

    /// <summary>True when <paramref name="suite"/> is a Debian codename, optionally with -security or -updates.</summary>
    public static bool IsSuiteName(string suite) => SuiteName().IsMatch(suite);

    /// <summary>True when <paramref name="version"/> looks like a Debian package version.</summary>
    public static bool IsPackageVersion(string version) => PackageVersionText().IsMatch(version);

    private static XenGenException Invalid(string source, string problem) =>
        new($"{source}: invalid release catalog: {problem}");

    private static string Names(IEnumerable<ReleasePin> pins) => string.Join(", ", pins.Select(p => p.Release));

    [GeneratedRegex(@"^[0-9A-Za-z][0-9A-Za-z.+_-]*$")]
    private static partial Regex ReleaseName();

    [GeneratedRegex(@"^[a-z]+(-security|-updates)?$")]
    private static partial Regex SuiteName();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9.+-]+$")]
    private static partial Regex PackageName();

    [GeneratedRegex(@"^([0-9]+:)?[0-9][A-Za-z0-9.+~:-]*$")]
    private static partial Regex PackageVersionText();

    [GeneratedRegex(@"^[0-9a-f]{64}$")]
    private static partial Regex Sha256Hex();

    [GeneratedRegex(@"^0x[0-9a-f]{8}$")]
    private static partial Regex InterfaceVersionText();
}
