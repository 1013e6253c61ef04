namespace XenGen.RingGenerator
{
    // The equatable specs between the Parser and the Emitter. They hold only strings, numbers and
    // EquatableArrays, never Roslyn symbols or model objects, so an unchanged input compares equal across runs.

    /// <summary>The MSBuild settings the generator reads (build_property.*).</summary>
    internal sealed record Settings(string? Release, string? Arch, string? Headers, string? Namespace, string? Visibility = null);

    /// <summary>What the generator needs to know about the consuming compilation.</summary>
    internal sealed record CompilationFacts(bool AllowUnsafe, bool ReferencesRings);

    /// <summary>The parse of one model for one settings value: a file spec per header and the diagnostics.</summary>
    internal sealed record ParseResult(EquatableArray<FileSpec> Files, EquatableArray<DiagnosticSpec> Diagnostics);

    /// <summary>One generated source file: the declarations of one header.</summary>
    internal sealed record FileSpec(
        AbiVisibility Visibility,
        string HintName,
        string Header,
        string Namespace,
        string Model,
        EquatableArray<TypeSpec> Types,
        EquatableArray<EnumSpec> Enums,
        ConstantsSpec? Constants,
        EquatableArray<TableSpec> Tables,
        EquatableArray<RingSpec> Rings);

    /// <summary>A struct or union with explicit layout.</summary>
    internal sealed record TypeSpec(
        string Name,
        string CName,
        long Size,
        long Pack,
        EquatableArray<string> Doc,
        EquatableArray<MemberSpec> Members,
        EquatableArray<BufferSpec> Buffers,
        EquatableArray<TypeSpec> Nested);

    /// <summary>A member of a record; <see cref="Kind"/> says which case of <c>record.scriban</c> renders it.</summary>
    internal sealed record MemberSpec(
        MemberKind Kind,
        string Name,
        long Offset,
        string Type,
        long Count,
        EquatableArray<string> Doc,
        string Storage = "",
        string StorageType = "",
        int Shift = 0,
        int Width = 0,
        bool Signed = false,
        string Mask = "",
        string ClearMask = "",
        string BytesName = "",
        string StringGetter = "",
        string StringSetter = "");

    /// <summary>An inline array type for a record array field.</summary>
    internal sealed record BufferSpec(string Name, string ElementType, long Count);

    /// <summary>An enumeration, and the class of its C name lookups.</summary>
    internal sealed record EnumSpec(string Name, string Underlying, EquatableArray<string> Doc, EquatableArray<ValueSpec> Members, string CNamesClass, string CName);

    /// <summary>
    /// A named value: an enumerator or a constant. <see cref="FirstOfValue"/>: no earlier member of the enum or
    /// class has the same value, so a lookup by value gives this one's <see cref="CName"/>.
    /// </summary>
    internal sealed record ValueSpec(string Name, string Type, string Literal, EquatableArray<string> Doc, string CName = "", bool FirstOfValue = true);

    /// <summary>
    /// The constants class of a header, with its C name lookups <see cref="CNameOf"/> (value and prefix to name) and
    /// <see cref="TryGetCValue"/> (name to value) over its integer members.
    /// </summary>
    internal sealed record ConstantsSpec(string Name, EquatableArray<string> Doc, EquatableArray<ValueSpec> Members, string CNameOf, string TryGetCValue);

    /// <summary>A constant table (such as <c>xsd_errors</c>) with a lookup per column.</summary>
    internal sealed record TableSpec(string Name, EquatableArray<string> Doc, EquatableArray<ColumnSpec> Columns, EquatableArray<RowSpec> Rows);

    /// <summary>A column of a table.</summary>
    internal sealed record ColumnSpec(string Name, string Type, string CName, EquatableArray<KeySpec> Keys);

    /// <summary>A distinct key of a column and the index of the first row holding it.</summary>
    internal sealed record KeySpec(string Literal, int Row);

    /// <summary>A row's cells as C# literals.</summary>
    internal sealed record RowSpec(EquatableArray<string> Cells);

    /// <summary>A ring; <see cref="Kind"/> says which ring template renders it.</summary>
    internal sealed record RingSpec(
        RingKind Kind,
        string Name,
        EquatableArray<string> Doc,
        string SharedType = "",
        string RequestType = "",
        string ResponseType = "",
        string EntryType = "",
        long EntrySize = 0,
        string FrontName = "",
        string BackName = "",
        string InterfaceType = "",
        EquatableArray<ChannelSpec> Channels = default,
        LayoutSpec? Layout = null,
        PageShiftSpec? PageShift = null);

    /// <summary>
    /// The layout of a shared ring record as the model gives it: its index fields' offsets and where <c>ring[]</c>
    /// starts. Rendered as a struct implementing <c>Xen.Rings.ISharedRingLayout</c>.
    /// </summary>
    internal sealed record LayoutSpec(string Name, string SharedCName, long RequestProducer, long RequestEvent, long ResponseProducer, long ResponseEvent, long Ring);

    /// <summary><c>XEN_PAGE_SHIFT</c> from the model, and where the model found it (<c>io/ring.h</c> line 390).</summary>
    internal sealed record PageShiftSpec(int Value, string Source);

    /// <summary>One direction of a byte ring.</summary>
    internal sealed record ChannelSpec(string Name, long BufferOffset, long Size, long ConsumerOffset, long ProducerOffset, EquatableArray<string> Doc);
}
