using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace XenGen.Tool.Headers;

/// <summary>
/// Where a cached header tree came from: <c>&lt;cache&gt;/&lt;release&gt;/source.json</c>.
/// </summary>
/// <param name="Release">The Xen release.</param>
/// <param name="Package">Debian package the tree was extracted from.</param>
/// <param name="PackageVersion">Package version actually used (the pinned one, or the one the suite served instead).</param>
/// <param name="DebSha256">sha256 of the .deb that was extracted.</param>
/// <param name="HeaderTreeSha256">sha256 of the header tree (<see cref="HeaderTreeHash"/>).</param>
public sealed record CachedSource(
    string Release,
    string Package,
    string PackageVersion,
    string DebSha256,
    string HeaderTreeSha256)
{
    /// <summary>File name inside a release's cache directory.</summary>
    public const string FileName = "source.json";

    // Debian versions contain '+', which the default encoder would write as \u002B.
    private static readonly CachedSourceJson Json = new(new JsonSerializerOptions(CachedSourceJson.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    /// <summary>Writes this record as indented JSON to <paramref name="path"/>.</summary>
    public void Write(string path) =>
        File.WriteAllText(path, JsonSerializer.Serialize(this, Json.CachedSource) + "\n");

    /// <summary>Reads a record written by <see cref="Write"/>.</summary>
    /// <exception cref="XenGenException">The file is unreadable or not such a record.</exception>
    public static CachedSource Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), Json.CachedSource)
                ?? throw new XenGenException($"{path}: empty");
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new XenGenException($"{path}: cannot read the cache record: {e.Message}", e);
        }
    }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(CachedSource))]
internal sealed partial class CachedSourceJson : JsonSerializerContext;
