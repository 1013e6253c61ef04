using Xen.Abi.Model;

namespace XenGen.HeaderImporter;

/// <summary>
/// Finds the shared rings of a model: the uses of <c>io/ring.h</c>'s declaring macros, resolved to the records
/// they generated, and byte rings recognised by their layout (<c>char x[N]</c> beside <c>x_cons</c>/<c>x_prod</c>).
/// </summary>
internal sealed class RingDetector
{
    private readonly AbiModel _model;
    private readonly Action<string, int, string> _error;
    private readonly Dictionary<string, RecordDecl> _records;

    public RingDetector(AbiModel model, Action<string, int, string> error)
    {
        _model = model;
        _error = error;
        _records = model.Records.ToDictionary(r => r.Id, StringComparer.Ordinal);
    }

    public List<RingDecl> Detect(List<RingMacroUse> uses)
    {
        var rings = new List<RingDecl>();
        foreach (var use in uses)
        {
            var ring = use.Macro switch
            {
                "DEFINE_RING_TYPES" => RequestResponseRing(use),
                "DEFINE_XEN_FLEX_RING" => Flex(use, RingKinds.FlexRing, null),
                _ => Flex(use, RingKinds.FlexRingAndIntf, use.Arguments[0] + "_data_intf"),
            };
            if (ring != null) rings.Add(ring);
        }
        foreach (var r in _model.Records)
        {
            var ring = ByteRing(r);
            if (ring != null) rings.Add(ring);
        }
        return rings.OrderBy(r => r.Header, StringComparer.Ordinal).ThenBy(r => r.Line).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
    }

    private RingDecl? RequestResponseRing(RingMacroUse use)
    {
        if (use.Arguments.Count != 3)
        {
            _error(use.Header, use.Line, $"DEFINE_RING_TYPES with {use.Arguments.Count} arguments");
            return null;
        }
        string name = use.Arguments[0];
        var ring = new RingDecl
        {
            Name = name, Kind = RingKinds.Ring, Macro = use.Macro, Header = use.Header, Line = use.Line,
            Request = use.Arguments[1], RequestRecord = ResolveRecord(use.Arguments[1]),
            Response = use.Arguments[2], ResponseRecord = ResolveRecord(use.Arguments[2]),
            SharedRing = Existing(name + "_sring"), Entry = Existing(name + "_sring_entry"),
        };
        if (ring.RequestRecord is null || ring.ResponseRecord is null || ring.SharedRing is null || ring.Entry is null)
        {
            _error(use.Header, use.Line, $"ring '{name}': its request, response, shared ring or entry record was not imported");
            return null;
        }
        return ring;
    }

    private RingDecl? Flex(RingMacroUse use, string kind, string? intf)
    {
        string name = use.Arguments[0];
        var ring = new RingDecl { Name = name, Kind = kind, Macro = use.Macro, Header = use.Header, Line = use.Line, Interface = intf is null ? null : Existing(intf) };
        if (intf != null)
        {
            if (ring.Interface is null)
            {
                _error(use.Header, use.Line, $"flex ring '{name}': interface record '{intf}' was not imported");
                return null;
            }
            ring.Channels = Channels(_records[intf], requireBuffer: false);
        }
        return ring;
    }

    private RingDecl? ByteRing(RecordDecl r)
    {
        var channels = Channels(r, requireBuffer: true);
        if (channels.Count == 0) return null;
        return new RingDecl { Name = r.Id, Kind = RingKinds.ByteRing, Interface = r.Id, Header = r.Header, Line = r.Line, Channels = channels };
    }

    /// <summary>Directions named X with indices X_cons and X_prod, and (for byte rings) a char buffer X.</summary>
    private static List<ByteRingChannel> Channels(RecordDecl r, bool requireBuffer)
    {
        var names = r.Fields.Where(f => f.Name != null).ToDictionary(f => f.Name!, StringComparer.Ordinal);
        var channels = new List<ByteRingChannel>();
        foreach (var f in r.Fields)
        {
            if (f.Name is null || !f.Name.EndsWith("_cons", StringComparison.Ordinal)) continue;
            string x = f.Name[..^"_cons".Length];
            if (!names.ContainsKey(x + "_prod")) continue;
            long size = 0;
            if (requireBuffer)
            {
                if (!names.TryGetValue(x, out var buffer) || buffer.Type.Kind != TypeKinds.Array || buffer.Type.Element?.Kind != TypeKinds.Char || buffer.Type.Count is not > 0)
                {
                    continue;
                }
                size = buffer.Type.Count.Value;
            }
            channels.Add(new ByteRingChannel { Buffer = x, Consumer = x + "_cons", Producer = x + "_prod", Size = size });
        }
        return channels;
    }

    private string? Existing(string id) => _records.ContainsKey(id) ? id : null;

    /// <summary>The record a macro argument names: <c>struct x</c>, <c>union x</c> or a typedef of a record.</summary>
    private string? ResolveRecord(string written)
    {
        string w = written.Trim();
        foreach (string prefix in new[] { "struct ", "union " })
        {
            if (w.StartsWith(prefix, StringComparison.Ordinal)) return Existing(w[prefix.Length..].Trim());
        }
        var typedef = _model.Typedefs.FirstOrDefault(t => t.Name == w);
        return typedef?.Type.Record is string id ? Existing(id) : Existing(w);
    }
}
