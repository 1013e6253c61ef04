using System.Text.Json;

namespace Xen.Drivers.Frontends.Check;

/// <summary>
/// What one iperf3 client's JSON report (<c>-J</c>) says: the bytes and rate the receiver counted, or iperf3's own
/// error. A failed run's report has an <c>error</c> member and an empty <c>end</c>; output that is not such a report
/// is an error naming what is missing.
/// </summary>
internal sealed record IperfReport(long Bytes, double BitsPerSecond, string? Error)
{
    public static IperfReport Parse(string output)
    {
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(output);
        }
        catch (JsonException e)
        {
            return Failed($"not iperf3's JSON report ({e.Message}): {Tail(output)}");
        }
        using (json)
        {
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return Failed($"iperf3's report is a JSON {root.ValueKind}, not an object");
            if (root.TryGetProperty("error", out var error)) return Failed("iperf3: " + (error.ValueKind == JsonValueKind.String ? error.GetString() : error.GetRawText()));
            if (!root.TryGetProperty("end", out var end) || end.ValueKind != JsonValueKind.Object
                || !end.TryGetProperty("sum_received", out var sum) || sum.ValueKind != JsonValueKind.Object
                || !sum.TryGetProperty("bytes", out var bytes) || bytes.ValueKind != JsonValueKind.Number
                || !sum.TryGetProperty("bits_per_second", out var bits) || bits.ValueKind != JsonValueKind.Number)
                return Failed("iperf3's report has no end.sum_received.bytes and bits_per_second");
            return new IperfReport((long)bytes.GetDouble(), bits.GetDouble(), null);
        }
    }

    private static IperfReport Failed(string error) => new(0, 0, error);

    private static string Tail(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length <= 300 ? trimmed : "..." + trimmed[^300..];
    }
}
