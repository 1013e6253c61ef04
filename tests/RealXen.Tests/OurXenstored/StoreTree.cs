using System.Text.RegularExpressions;

namespace XenGen.RealXen.Tests.OurXenstored;

/// <summary>One line of <c>xenstore-ls -fp</c>: a node's full path, value and permissions.</summary>
internal sealed record StoreNode(string Path, string Value, string Permissions)
{
    public override string ToString() => $"{Path} = \"{Value}\" ({Permissions})";
}

/// <summary>
/// Reads <c>xenstore-ls -fp</c> output and normalises what differs between two boots of the same guest by design:
/// the guest's domain id, and values the toolstack or Xen choose afresh (uuids, MAC addresses, event channel ports,
/// grant references, pty names, times, the temporary folder realxen guest writes the hotplug scripts to). Paths and
/// permissions are kept exactly.
/// </summary>
internal static partial class StoreTree
{
    /// <summary>Keys whose values are ports, grant references, pty names or times chosen afresh at each boot.</summary>
    private static readonly HashSet<string> VolatileKeys = ["event-channel", "event-channel-tx", "event-channel-rx", "ring-ref", "tx-ring-ref", "rx-ring-ref", "port", "tty", "start_time", "limit"];

    /// <summary>The nodes of a dump, one per <c>PATH = "VALUE"   (PERMS)</c> line; other lines are an error.</summary>
    public static IReadOnlyList<StoreNode> Parse(string dump)
    {
        var nodes = new List<StoreNode>();
        foreach (var line in dump.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var match = LsLine().Match(line);
            if (!match.Success) throw new FormatException($"not a 'xenstore-ls -fp' line: '{line}'");
            nodes.Add(new StoreNode(match.Groups["path"].Value, match.Groups["value"].Value, match.Groups["perms"].Value));
        }
        return nodes;
    }

    /// <summary>The nodes with <paramref name="guestId"/> as <c>G</c> wherever it is a whole path segment, permission's domain or value, and volatile values masked.</summary>
    public static IEnumerable<StoreNode> Normalise(IEnumerable<StoreNode> nodes, string guestId) => nodes.Select(node =>
    {
        string path = string.Join('/', node.Path.Split('/').Select(segment => segment == guestId ? "G" : segment));
        string permissions = string.Join(',', node.Permissions.Split(',').Select(p => p.Length > 1 && p[1..] == guestId ? p[0] + "G" : p));
        string key = path[(path.LastIndexOf('/') + 1)..];
        string value = VolatileKeys.Contains(key) ? "<volatile>" : Mask(node.Value, guestId);
        return new StoreNode(path, value, permissions);
    });

    /// <summary>Lines of one side that the other lacks, each prefixed by its side's name; empty when both match.</summary>
    public static IReadOnlyList<string> Differences(IEnumerable<StoreNode> ours, IEnumerable<StoreNode> c)
    {
        var left = ours.Select(n => n.ToString()).ToHashSet();
        var right = c.Select(n => n.ToString()).ToHashSet();
        return [.. left.Except(right).Order().Select(l => "ours only: " + l), .. right.Except(left).Order().Select(l => "C only:    " + l)];
    }

    private static string Mask(string value, string guestId)
    {
        value = Uuid().Replace(value, "<uuid>");
        value = Mac().Replace(value, "<mac>");
        value = GuestWorkFolder().Replace(value, "/tmp/realxen-guest-<random>/");
        if (value == guestId) return "G";
        return string.Join('/', value.Split('/').Select(segment => segment == guestId ? "G" : segment));
    }

    [GeneratedRegex("""^(?<path>/\S*) = "(?<value>.*)"\s+\((?<perms>[nrwb][0-9]+(,[nrwb][0-9]+)*)\)$""")]
    private static partial Regex LsLine();

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Uuid();

    [GeneratedRegex("00:16:3e(:[0-9a-f]{2}){3}")]
    private static partial Regex Mac();

    /// <summary>realxen guest's <c>Directory.CreateTempSubdirectory("realxen-guest-")</c>, named afresh per guest (the vbd's and vif's <c>script</c>).</summary>
    [GeneratedRegex("/tmp/realxen-guest-[A-Za-z0-9]+/")]
    private static partial Regex GuestWorkFolder();
}
