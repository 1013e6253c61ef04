using Xen.Abi.Model;

namespace XenGen.Tool.Verify;

/// <summary>
/// How C code reaches a record of the model: through the nearest enclosing type that C can name (a tag or a
/// typedef) and a member path from it, plus the record's offset in that type as the model computes it by
/// adding up each level. An anonymous member has no path of its own: C reaches its fields through the parent.
/// </summary>
internal sealed record RecordAccess(string HostType, string Path, long AbsoluteBits, bool Nameable)
{
    /// <summary>The C member path of field <paramref name="field"/> of the record.</summary>
    public string FieldPath(string field) => Path.Length == 0 ? field : Path + "." + field;

    /// <summary>Access for every record of the model whose enclosing types C can name.</summary>
    public static Dictionary<string, RecordAccess> For(AbiModel model)
    {
        var byId = model.Records.ToDictionary(r => r.Id, StringComparer.Ordinal);
        var result = new Dictionary<string, RecordAccess>(StringComparer.Ordinal);
        foreach (var r in model.Records)
        {
            string? own = r.Tag != null ? $"{r.Kind} {r.Tag}" : r.Typedef;
            if (own != null) Descend(r, new RecordAccess(own, "", 0, true), byId, result);
        }
        return result;
    }

    private static void Descend(RecordDecl r, RecordAccess access, Dictionary<string, RecordDecl> byId, Dictionary<string, RecordAccess> result)
    {
        if (!result.TryAdd(r.Id, access)) return;
        foreach (var f in r.Fields)
        {
            var (type, indices) = Unwrap(f.Type);
            if (type.Kind != TypeKinds.Record || type.Record is null || !byId.TryGetValue(type.Record, out var nested)) continue;
            if (nested.Parent != r.Id || nested.Tag != null || nested.Typedef != null) continue; // named elsewhere
            long abs = access.AbsoluteBits + f.OffsetBits;
            var child = f.Name is null
                ? access with { AbsoluteBits = abs, Nameable = false }
                : new RecordAccess(access.HostType, access.FieldPath(f.Name) + indices, abs, true);
            Descend(nested, child, byId, result);
        }
    }

    private static (TypeRef Type, string Indices) Unwrap(TypeRef t)
    {
        string indices = "";
        while (t.Kind == TypeKinds.Array && t.Element != null)
        {
            indices += "[0]";
            t = t.Element;
        }
        return (t, indices);
    }
}
