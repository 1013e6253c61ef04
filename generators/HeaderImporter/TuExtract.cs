using Xen.Abi.Model;

namespace XenGen.HeaderImporter;

/// <summary>A use of a ring-declaring macro, with its arguments as written.</summary>
internal sealed record RingMacroUse(string Macro, IReadOnlyList<string> Arguments, string Header, int Line);

/// <summary>An object-like macro definition in the tree: where it is, and its cursor (valid while its unit is).</summary>
internal sealed record MacroDefinition(string Name, string Header, int Line, Clang.Cursor Definition);

/// <summary>What one translation unit contributed, in the order clang visited it.</summary>
internal sealed class TuExtract
{
    public required string MainHeader { get; init; }
    public List<string> Errors { get; } = [];
    public HashSet<string> HeadersSeen { get; } = new(StringComparer.Ordinal);
    public List<RecordDecl> Records { get; } = [];
    public List<TypedefDecl> Typedefs { get; } = [];
    public List<EnumDecl> Enums { get; } = [];
    public List<ConstantDecl> Constants { get; } = [];
    public List<ConstantTable> Tables { get; } = [];
    public List<RingMacroUse> RingMacros { get; } = [];

    /// <summary>The object-like macros defined in the tree that this unit saw.</summary>
    public HashSet<string> MacrosDefined { get; } = new(StringComparer.Ordinal);

    public bool Failed => Errors.Count > 0;
}
