namespace XenGen.Tool.Diff;

/// <summary>What kind of declaration a change is about, in the order reports list them within a header.</summary>
public enum DeclKind
{
    /// <summary>A public header, imported or skipped for the architecture.</summary>
    Header,
    /// <summary>A struct or union.</summary>
    Record,
    /// <summary>A field of a record.</summary>
    Field,
    /// <summary>A typedef.</summary>
    Typedef,
    /// <summary>An enumeration.</summary>
    Enum,
    /// <summary>One constant of an enumeration.</summary>
    Enumerator,
    /// <summary>An object-like macro with an integer or string value.</summary>
    Constant,
    /// <summary>A shared-memory ring.</summary>
    Ring,
    /// <summary>A guest handle type.</summary>
    GuestHandle,
}

/// <summary>Whether a declaration appeared, disappeared, or is there in both models with something different.</summary>
public enum ChangeOp
{
    /// <summary>In the newer model only.</summary>
    Added,
    /// <summary>In the older model only.</summary>
    Removed,
    /// <summary>In both, with an aspect that differs.</summary>
    Changed,
}

/// <summary>
/// How a change affects a program built against the older release: <see cref="Breaking"/> when such a program may
/// misbehave (a removal, a size, alignment, offset, type or value change), <see cref="Compatible"/> when it cannot (an
/// addition, a declaration moving to another header, a type spelled differently with the same layout).
/// </summary>
public enum ChangeClass
{
    /// <summary>A program built against the older release may misbehave.</summary>
    Breaking,
    /// <summary>A program built against the older release cannot tell.</summary>
    Compatible,
}

/// <summary>One difference between two models of the same architecture.</summary>
/// <param name="Header">The header the declaration is in: the newer model's for additions and changes, the older's for removals.</param>
/// <param name="Kind">What the declaration is.</param>
/// <param name="Name">Its name: a record id, <c>record.field</c>, <c>enum.ENUMERATOR</c>, a macro or typedef name.</param>
/// <param name="Op">Added, removed or changed.</param>
/// <param name="Aspect">For a change, what changed (<c>size</c>, <c>offset</c>, <c>type</c>, <c>value</c>, ...); null otherwise.</param>
/// <param name="Before">The value in the older model (for a change or a removal), as text; null for an addition.</param>
/// <param name="After">The value in the newer model (for a change or an addition), as text; null for a removal.</param>
/// <param name="Class">Breaking or compatible.</param>
/// <param name="ToolsOnly">True when <see cref="Header"/> is a tools-only interface (<see cref="ToolsOnlyRule"/>).</param>
public sealed record AbiChange(
    string Header,
    DeclKind Kind,
    string Name,
    ChangeOp Op,
    string? Aspect,
    string? Before,
    string? After,
    ChangeClass Class,
    bool ToolsOnly);

/// <summary>The differences of one architecture, in report order.</summary>
/// <param name="Arch">The architecture name.</param>
/// <param name="Changes">The changes, sorted by <see cref="AbiDiff.Order"/>.</param>
public sealed record ArchDiff(string Arch, IReadOnlyList<AbiChange> Changes)
{
    /// <summary>How many changes are of the given visibility and class.</summary>
    public int Count(bool toolsOnly, ChangeClass cls) => Changes.Count(c => c.ToolsOnly == toolsOnly && c.Class == cls);

    /// <summary>True when nothing differs.</summary>
    public bool IsEmpty => Changes.Count == 0;
}
