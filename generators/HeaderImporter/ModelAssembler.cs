using Xen.Abi.Model;

namespace XenGen.HeaderImporter;

/// <summary>
/// Merges the extracts of the per-header translation units of one architecture into one model. A declaration
/// seen by several units (every header includes <c>xen.h</c>) is kept once; the output is sorted by header,
/// line and visiting order, so it does not depend on which unit saw a declaration first.
/// </summary>
internal sealed class ModelAssembler
{
    private readonly List<ImportDiagnostic> _diagnostics = [];

    public IReadOnlyList<ImportDiagnostic> Diagnostics => _diagnostics;

    /// <summary>
    /// Fills <paramref name="model"/>. <paramref name="includedBy"/> names the header whose unit reached a header that
    /// failed to compile on its own, or null; by default the first unit (in header order) that compiled and saw it.
    /// </summary>
    public void Assemble(AbiModel model, HeaderTree tree, TargetArch arch, IReadOnlyList<TuExtract> units, Func<string, string?>? includedBy = null)
    {
        var ok = units.Where(u => !u.Failed).ToList();
        includedBy ??= header => ok.FirstOrDefault(u => u.HeadersSeen.Contains(header))?.MainHeader;
        var seen = new HashSet<string>(ok.SelectMany(u => u.HeadersSeen), StringComparer.Ordinal);
        var failed = units.Where(u => u.Failed).ToDictionary(u => u.MainHeader, StringComparer.Ordinal);
        foreach (string header in tree.Headers)
        {
            string? reason = HeaderTree.NotApplicable(header, arch);
            string? by = null;
            if (reason is null && failed.TryGetValue(header, out var f))
            {
                by = includedBy(header);
                if (by is null) reason = (header == "xen.h" ? "does not compile: " : "does not compile after xen.h: ") + f.Errors[0];
            }
            else if (reason is null && !seen.Contains(header))
            {
                reason = "not reached";
            }
            model.Headers.Add(new HeaderEntry { Path = header, Skipped = reason, IncludedBy = by });
        }

        model.Records = Merge(ok, u => u.Records, r => r.Id, r => r.Header, r => r.Line, (a, b) =>
        {
            if (a.Size != b.Size || a.Align != b.Align || a.Fields.Count != b.Fields.Count)
            {
                Error(b.Header, b.Line, $"record '{b.Id}' is declared again with another layout (first at {a.Header}:{a.Line})");
            }
        });
        model.Typedefs = Merge(ok, u => u.Typedefs, t => t.Name, t => t.Header, t => t.Line, (_, _) => { });
        model.Enums = Merge(ok, u => u.Enums, e => e.Id, e => e.Header, e => e.Line, (_, _) => { });
        model.Constants = Merge(ok, u => u.Constants, c => c.Name, c => c.Header, c => c.Line, (a, b) =>
        {
            if (a.Value != b.Value) Error(b.Header, b.Line, $"constant '{b.Name}' evaluates to {b.Value} here but {a.Value} at {a.Header}:{a.Line}");
        });
        model.Tables = Merge(ok, u => u.Tables, t => t.Name, t => t.Header, t => t.Line, (_, _) => { });
        var ringUses = Merge(ok, u => u.RingMacros, r => r.Macro + ":" + r.Header + ":" + r.Line, r => r.Header, r => r.Line, (_, _) => { });
        model.Rings = new RingDetector(model, Error).Detect(ringUses);
        model.GuestHandles = GuestHandles(model.Records);
    }

    private void Error(string header, int line, string message) => _diagnostics.Add(new ImportDiagnostic(header, line, message, IsError: true));

    private static List<T> Merge<T>(List<TuExtract> units, Func<TuExtract, List<T>> items, Func<T, string> key,
        Func<T, string> header, Func<T, int> line, Action<T, T> compare)
    {
        var first = new Dictionary<string, (T Item, int Unit, int Seq)>(StringComparer.Ordinal);
        for (int u = 0; u < units.Count; u++)
        {
            var list = items(units[u]);
            for (int i = 0; i < list.Count; i++)
            {
                string k = key(list[i]);
                if (first.TryGetValue(k, out var existing)) compare(existing.Item, list[i]);
                else first[k] = (list[i], u, i);
            }
        }
        // Visiting order within the unit that first saw a header keeps nested records after their parent.
        return first.Values
            .OrderBy(v => header(v.Item), StringComparer.Ordinal)
            .ThenBy(v => line(v.Item))
            .ThenBy(v => v.Unit)
            .ThenBy(v => v.Seq)
            .Select(v => v.Item)
            .ToList();
    }

    private static List<GuestHandle> GuestHandles(List<RecordDecl> records)
    {
        const string prefix = "__guest_handle_";
        var handles = new List<GuestHandle>();
        foreach (var r in records)
        {
            // The handle types only, not the anonymous union inside a 64-bit handle (__guest_handle_64_x.anon0).
            if (!r.Id.StartsWith(prefix, StringComparison.Ordinal) || r.Parent != null) continue;
            var pointer = FindPointer(r, records);
            if (pointer is null) continue;
            handles.Add(new GuestHandle { Record = r.Id, Target = pointer.Pointee ?? pointer.C, Size = r.Size, Align = r.Align });
        }
        return handles;
    }

    /// <summary>The <c>p</c> pointer of a handle: directly (x86) or inside its 64-bit widening union (Arm).</summary>
    private static TypeRef? FindPointer(RecordDecl r, List<RecordDecl> records)
    {
        foreach (var f in r.Fields)
        {
            if (f.Type.Kind == TypeKinds.Pointer) return f.Type;
            if (f.Name is null && f.Type.Record is string inner && records.FirstOrDefault(x => x.Id == inner) is { } nested)
            {
                var p = FindPointer(nested, records);
                if (p != null) return p;
            }
        }
        return null;
    }
}
