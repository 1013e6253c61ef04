using System.Globalization;
using Xen.Abi.Model;

namespace XenGen.Tool.Diff;

/// <summary>
/// Compares two ABI models of one architecture: every record, field, typedef, enum and enumerator, constant, ring,
/// guest handle and header is matched by name, and each one added, removed or changed is reported once, classed as
/// breaking or compatible. Line numbers and doc comments are not ABI and are not compared.
/// </summary>
public static class AbiDiff
{
    /// <summary>The order of a report: guest-visible first, then by header, kind, name, operation and aspect.</summary>
    public static IComparer<AbiChange> Order { get; } = Comparer<AbiChange>.Create((a, b) =>
    {
        int c = a.ToolsOnly.CompareTo(b.ToolsOnly);
        if (c == 0) c = string.CompareOrdinal(a.Header, b.Header);
        if (c == 0) c = a.Kind.CompareTo(b.Kind);
        if (c == 0) c = string.CompareOrdinal(a.Name, b.Name);
        if (c == 0) c = a.Op.CompareTo(b.Op);
        if (c == 0) c = string.CompareOrdinal(a.Aspect, b.Aspect);
        return c;
    });

    /// <summary>The changes from <paramref name="before"/> to <paramref name="after"/>, in <see cref="Order"/>.</summary>
    /// <exception cref="ArgumentException">The models are of different architectures.</exception>
    public static ArchDiff Compare(AbiModel before, AbiModel after)
    {
        if (before.Arch != after.Arch)
            throw new ArgumentException($"cannot compare a {before.Arch} model with a {after.Arch} model");
        var changes = new List<AbiChange>();
        var sink = new Sink(changes);
        Headers(before, after, sink);
        Records(before, after, sink);
        Typedefs(before, after, sink);
        Enums(before, after, sink);
        Constants(before, after, sink);
        Rings(before, after, sink);
        GuestHandles(before, after, sink);
        changes.Sort(Order);
        return new ArchDiff(after.Arch, changes);
    }

    private sealed class Sink(List<AbiChange> changes)
    {
        public void Added(string header, DeclKind kind, string name, string? what = null) =>
            changes.Add(new AbiChange(header, kind, name, ChangeOp.Added, null, null, what, ChangeClass.Compatible, ToolsOnlyRule.IsToolsOnly(header)));

        public void Removed(string header, DeclKind kind, string name, string? what = null) =>
            changes.Add(new AbiChange(header, kind, name, ChangeOp.Removed, null, what, null, ChangeClass.Breaking, ToolsOnlyRule.IsToolsOnly(header)));

        /// <summary>Reports <paramref name="aspect"/> when <paramref name="a"/> and <paramref name="b"/> differ.</summary>
        public void Changed(string header, DeclKind kind, string name, string aspect, string? a, string? b, ChangeClass cls = ChangeClass.Breaking)
        {
            if (string.Equals(a, b, StringComparison.Ordinal)) return;
            changes.Add(new AbiChange(header, kind, name, ChangeOp.Changed, aspect, a ?? "(none)", b ?? "(none)", cls, ToolsOnlyRule.IsToolsOnly(header)));
        }

        /// <summary>A declaration found in another header is compatible for a user who includes both through <c>xen.h</c>.</summary>
        public void Moved(DeclKind kind, string name, string from, string to) =>
            Changed(to, kind, name, "header", from, to, ChangeClass.Compatible);
    }

    /// <summary>Pairs items by key; <paramref name="onPair"/> sees those in both, the others are added or removed.</summary>
    private static void Match<T>(IEnumerable<T> before, IEnumerable<T> after, Func<T, string> key,
        Action<T> removed, Action<T> added, Action<T, T> onPair)
    {
        var a = ByKey(before, key);
        var b = ByKey(after, key);
        foreach (var (k, x) in a)
        {
            if (b.TryGetValue(k, out var y)) onPair(x, y);
            else removed(x);
        }
        foreach (var (k, y) in b)
        {
            if (!a.ContainsKey(k)) added(y);
        }
    }

    private static SortedDictionary<string, T> ByKey<T>(IEnumerable<T> items, Func<T, string> key)
    {
        var map = new SortedDictionary<string, T>(StringComparer.Ordinal);
        foreach (var item in items) map.TryAdd(key(item), item);
        return map;
    }

    private static void Headers(AbiModel a, AbiModel b, Sink s) =>
        Match(a.Headers, b.Headers, h => h.Path,
            h => s.Removed(h.Path, DeclKind.Header, h.Path, h.Skipped is null ? null : "skipped: " + h.Skipped),
            h => s.Added(h.Path, DeclKind.Header, h.Path, h.Skipped is null ? null : "skipped: " + h.Skipped),
            (x, y) =>
            {
                // A header that stops applying takes its declarations away (each is reported too); one that starts is new ABI.
                if (x.Skipped is null && y.Skipped is not null)
                    s.Changed(y.Path, DeclKind.Header, y.Path, "imported", "yes", "skipped: " + y.Skipped);
                else if (x.Skipped is not null && y.Skipped is null)
                    s.Changed(y.Path, DeclKind.Header, y.Path, "imported", "skipped: " + x.Skipped, "yes", ChangeClass.Compatible);
            });

    private static void Records(AbiModel a, AbiModel b, Sink s) =>
        Match(a.Records, b.Records, r => r.Id,
            r => s.Removed(r.Header, DeclKind.Record, r.Id, RecordSummary(r)),
            r => s.Added(r.Header, DeclKind.Record, r.Id, RecordSummary(r)),
            (x, y) =>
            {
                if (x.Header != y.Header) s.Moved(DeclKind.Record, y.Id, x.Header, y.Header);
                s.Changed(y.Header, DeclKind.Record, y.Id, "kind", x.Kind, y.Kind);
                s.Changed(y.Header, DeclKind.Record, y.Id, "size", Num(x.Size), Num(y.Size));
                s.Changed(y.Header, DeclKind.Record, y.Id, "align", Num(x.Align), Num(y.Align));
                Fields(x, y, s);
            });

    private static void Fields(RecordDecl x, RecordDecl y, Sink s)
    {
        string header = y.Header;
        Match(FieldKeys(x), FieldKeys(y), f => f.Key,
            f => s.Removed(header, DeclKind.Field, y.Id + "." + f.Key, FieldSummary(f.Field)),
            f => s.Added(header, DeclKind.Field, y.Id + "." + f.Key, FieldSummary(f.Field)),
            (fa, fb) =>
            {
                string name = y.Id + "." + fb.Key;
                var (p, q) = (fa.Field, fb.Field);
                s.Changed(header, DeclKind.Field, name, "offset", Offset(p), Offset(q));
                s.Changed(header, DeclKind.Field, name, "size", Num(p.Size), Num(q.Size));
                s.Changed(header, DeclKind.Field, name, "bit width", p.BitWidth?.ToString(CultureInfo.InvariantCulture), q.BitWidth?.ToString(CultureInfo.InvariantCulture));
                s.Changed(header, DeclKind.Field, name, "flexible", p.Flexible ? "yes" : "no", q.Flexible ? "yes" : "no");
                TypeChange(s, header, DeclKind.Field, name, p.Type, q.Type);
            });
    }

    /// <summary>Named fields by name; anonymous members as <c>(anonymous N)</c>, N counting the record's anonymous members.</summary>
    private static IEnumerable<(string Key, FieldDecl Field)> FieldKeys(RecordDecl r)
    {
        int anonymous = 0;
        foreach (var f in r.Fields)
            yield return (f.Name ?? $"(anonymous {anonymous++})", f);
    }

    private static void Typedefs(AbiModel a, AbiModel b, Sink s) =>
        Match(a.Typedefs, b.Typedefs, t => t.Name,
            t => s.Removed(t.Header, DeclKind.Typedef, t.Name, t.Type.C),
            t => s.Added(t.Header, DeclKind.Typedef, t.Name, t.Type.C),
            (x, y) =>
            {
                if (x.Header != y.Header) s.Moved(DeclKind.Typedef, y.Name, x.Header, y.Header);
                TypeChange(s, y.Header, DeclKind.Typedef, y.Name, x.Type, y.Type);
            });

    private static void Enums(AbiModel a, AbiModel b, Sink s) =>
        Match(a.Enums, b.Enums, EnumKey,
            e => s.Removed(e.Header, DeclKind.Enum, EnumKey(e), $"{e.Constants.Count} enumerators"),
            e => s.Added(e.Header, DeclKind.Enum, EnumKey(e), $"{e.Constants.Count} enumerators"),
            (x, y) =>
            {
                string name = EnumKey(y);
                if (x.Header != y.Header) s.Moved(DeclKind.Enum, name, x.Header, y.Header);
                s.Changed(y.Header, DeclKind.Enum, name, "size", Num(x.Size), Num(y.Size));
                s.Changed(y.Header, DeclKind.Enum, name, "signed", x.Signed ? "yes" : "no", y.Signed ? "yes" : "no");
                Match(x.Constants, y.Constants, c => c.Name,
                    c => s.Removed(y.Header, DeclKind.Enumerator, name + "." + c.Name, c.Value),
                    c => s.Added(y.Header, DeclKind.Enumerator, name + "." + c.Name, c.Value),
                    (p, q) => s.Changed(y.Header, DeclKind.Enumerator, name + "." + q.Name, "value", p.Value, q.Value));
            });

    /// <summary>
    /// An enum's name in a report: its id, except that an anonymous enum (<c>anon@header:line</c>, whose line moves
    /// with every edit above it) is named after its first enumerator.
    /// </summary>
    private static string EnumKey(EnumDecl e) =>
        e.Tag is null && e.Typedef is null && e.Constants.Count > 0 ? $"(anonymous: {e.Constants[0].Name}, ...)" : e.Id;

    private static void Constants(AbiModel a, AbiModel b, Sink s) =>
        Match(a.Constants, b.Constants, c => c.Name,
            c => s.Removed(c.Header, DeclKind.Constant, c.Name, ConstantSummary(c)),
            c => s.Added(c.Header, DeclKind.Constant, c.Name, ConstantSummary(c)),
            (x, y) =>
            {
                if (x.Header != y.Header) s.Moved(DeclKind.Constant, y.Name, x.Header, y.Header);
                s.Changed(y.Header, DeclKind.Constant, y.Name, "kind", x.Kind, y.Kind);
                s.Changed(y.Header, DeclKind.Constant, y.Name, "value", x.Value, y.Value);
                s.Changed(y.Header, DeclKind.Constant, y.Name, "type", ConstantType(x), ConstantType(y));
            });

    private static void Rings(AbiModel a, AbiModel b, Sink s) =>
        Match(a.Rings, b.Rings, r => r.Name,
            r => s.Removed(r.Header, DeclKind.Ring, r.Name, r.Kind),
            r => s.Added(r.Header, DeclKind.Ring, r.Name, r.Kind),
            (x, y) =>
            {
                if (x.Header != y.Header) s.Moved(DeclKind.Ring, y.Name, x.Header, y.Header);
                s.Changed(y.Header, DeclKind.Ring, y.Name, "kind", x.Kind, y.Kind);
                s.Changed(y.Header, DeclKind.Ring, y.Name, "request", x.RequestRecord ?? x.Request, y.RequestRecord ?? y.Request);
                s.Changed(y.Header, DeclKind.Ring, y.Name, "response", x.ResponseRecord ?? x.Response, y.ResponseRecord ?? y.Response);
                s.Changed(y.Header, DeclKind.Ring, y.Name, "shared ring", x.SharedRing, y.SharedRing);
                s.Changed(y.Header, DeclKind.Ring, y.Name, "entry", x.Entry, y.Entry);
                s.Changed(y.Header, DeclKind.Ring, y.Name, "interface", x.Interface, y.Interface);
                s.Changed(y.Header, DeclKind.Ring, y.Name, "channels", Channels(x), Channels(y));
            });

    private static void GuestHandles(AbiModel a, AbiModel b, Sink s)
    {
        // Handles are records of the header that declares them; find it through the record.
        var headerA = ByKey(a.Records, r => r.Id);
        var headerB = ByKey(b.Records, r => r.Id);
        string HeaderOf(SortedDictionary<string, RecordDecl> records, GuestHandle g) =>
            records.TryGetValue(g.Record, out var r) ? r.Header : "xen.h";
        Match(a.GuestHandles, b.GuestHandles, g => g.Record,
            g => s.Removed(HeaderOf(headerA, g), DeclKind.GuestHandle, g.Record, g.Target),
            g => s.Added(HeaderOf(headerB, g), DeclKind.GuestHandle, g.Record, g.Target),
            (x, y) =>
            {
                string header = HeaderOf(headerB, y);
                s.Changed(header, DeclKind.GuestHandle, y.Record, "target", x.Target, y.Target);
                s.Changed(header, DeclKind.GuestHandle, y.Record, "size", Num(x.Size), Num(y.Size));
                s.Changed(header, DeclKind.GuestHandle, y.Record, "align", Num(x.Align), Num(y.Align));
            });
    }

    /// <summary>
    /// A type change is breaking when the layout-relevant description differs (<see cref="Layout"/>); a type only
    /// spelled differently (<c>unsigned int</c> for <c>uint32_t</c>) is compatible.
    /// </summary>
    private static void TypeChange(Sink s, string header, DeclKind kind, string name, TypeRef x, TypeRef y)
    {
        string la = Layout(x), lb = Layout(y);
        if (la != lb)
            s.Changed(header, kind, name, "type", x.C == y.C ? $"{x.C} ({la})" : x.C, x.C == y.C ? $"{y.C} ({lb})" : y.C);
        else
            s.Changed(header, kind, name, "type spelling", x.C, y.C, ChangeClass.Compatible);
    }

    /// <summary>What of a type matters to layout and meaning: kind, size, signedness, and the record, enum or element it names.</summary>
    internal static string Layout(TypeRef t) => t.Kind switch
    {
        TypeKinds.Record => "record " + t.Record,
        TypeKinds.Enum => $"enum {t.Enum} ({t.Size} bytes)",
        TypeKinds.Array => $"{Layout(t.Element ?? new TypeRef())}[{(t.Count is long n ? n.ToString(CultureInfo.InvariantCulture) : "")}]",
        TypeKinds.Pointer => $"pointer to {t.Pointee ?? "?"} ({t.Size} bytes)",
        TypeKinds.Int or TypeKinds.Char => $"{(t.Signed == true ? "signed" : "unsigned")} {t.Kind} ({t.Size} bytes, align {t.Align})",
        TypeKinds.Other => "other " + t.C,
        _ => $"{t.Kind} ({t.Size} bytes, align {t.Align})",
    };

    private static string Num(long n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>A byte offset, or <c>byte N bit M</c> for a bitfield not on a byte boundary.</summary>
    private static string Offset(FieldDecl f) =>
        f.OffsetBits % 8 == 0 ? Num(f.OffsetBits / 8) : $"byte {f.OffsetBits / 8} bit {f.OffsetBits % 8}";

    private static string RecordSummary(RecordDecl r) => $"{r.Kind}, {r.Size} bytes";

    private static string FieldSummary(FieldDecl f) => $"{f.Type.C} at {Offset(f)}";

    private static string ConstantSummary(ConstantDecl c) => c.Kind == ConstantKinds.String ? $"\"{c.Value}\"" : c.Value;

    private static string? ConstantType(ConstantDecl c) => c.CType is null ? null : $"{c.CType} ({c.Size} bytes)";

    private static string Channels(RingDecl r) =>
        string.Join(", ", r.Channels.Select(c => $"{c.Buffer}[{c.Size}] {c.Consumer}/{c.Producer}"));
}
