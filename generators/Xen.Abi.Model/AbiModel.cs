using System.Collections.Generic;

namespace Xen.Abi.Model
{
    /// <summary>
    /// The ABI of one Xen release's public headers for one target architecture, as libclang laid it out.
    /// This is the contract between the header importer and the source generator: plain data only.
    /// </summary>
    public sealed class AbiModel
    {
        /// <summary>The version of this document's shape; readers refuse other versions.</summary>
        public const int CurrentSchemaVersion = 1;

        /// <summary>The schema version the document was written with.</summary>
        public int SchemaVersion { get; set; } = CurrentSchemaVersion;

        /// <summary>Xen release, such as <c>4.17.5</c>.</summary>
        public string Release { get; set; } = "";

        /// <summary>Architecture name: <c>x86_64</c>, <c>x86_32</c>, <c>arm64</c> or <c>arm32</c>.</summary>
        public string Arch { get; set; } = "";

        /// <summary>The clang target triple the headers were parsed for.</summary>
        public string Triple { get; set; } = "";

        /// <summary>The <c>__XEN_INTERFACE_VERSION__</c> the headers were parsed with, as hex text.</summary>
        public string InterfaceVersion { get; set; } = "";

        /// <summary>sha256 of the header tree (see <c>releases.json</c>) the model was imported from.</summary>
        public string HeaderTreeSha256 { get; set; } = "";

        /// <summary>Every macro defined on the command line, in <c>NAME</c> or <c>NAME=VALUE</c> form.</summary>
        public List<string> Defines { get; set; } = new List<string>();

        /// <summary>Every public header of the release, parsed or skipped for this architecture.</summary>
        public List<HeaderEntry> Headers { get; set; } = new List<HeaderEntry>();

        /// <summary>Structs and unions, including anonymous nested ones.</summary>
        public List<RecordDecl> Records { get; set; } = new List<RecordDecl>();

        /// <summary>Typedefs declared by the headers.</summary>
        public List<TypedefDecl> Typedefs { get; set; } = new List<TypedefDecl>();

        /// <summary>Enumerations and their constants.</summary>
        public List<EnumDecl> Enums { get; set; } = new List<EnumDecl>();

        /// <summary>Object-like macros whose value is an integer constant expression or a string literal.</summary>
        public List<ConstantDecl> Constants { get; set; } = new List<ConstantDecl>();

        /// <summary>Constant tables: arrays of records initialised in a header, such as <c>xsd_errors</c>.</summary>
        public List<ConstantTable> Tables { get; set; } = new List<ConstantTable>();

        /// <summary>Shared-memory rings: <c>io/ring.h</c> rings, flex rings and byte rings.</summary>
        public List<RingDecl> Rings { get; set; } = new List<RingDecl>();

        /// <summary>Guest-handle types (<c>XEN_GUEST_HANDLE</c>) and their width on this architecture.</summary>
        public List<GuestHandle> GuestHandles { get; set; } = new List<GuestHandle>();
    }

    /// <summary>One public header and whether it was parsed for this architecture.</summary>
    public sealed class HeaderEntry
    {
        /// <summary>Path relative to the <c>xen/</c> include directory, with forward slashes.</summary>
        public string Path { get; set; } = "";

        /// <summary>Why the header was not imported for this architecture; null when it was.</summary>
        public string? Skipped { get; set; }

        /// <summary>
        /// For a header that does not compile on its own but was imported through another (such as
        /// <c>arch-x86/hvm/save.h</c> through <c>hvm/save.h</c>): that header. Null for a header parsed by itself.
        /// </summary>
        public string? IncludedBy { get; set; }
    }

    /// <summary>Where a declaration is, and the comment that documents it.</summary>
    public abstract class Declared
    {
        /// <summary>Header path relative to the <c>xen/</c> include directory.</summary>
        public string Header { get; set; } = "";

        /// <summary>1-based line of the declaration in <see cref="Header"/>.</summary>
        public int Line { get; set; }

        /// <summary>The header's own comment for the declaration, without comment delimiters; null if none.</summary>
        public string? Doc { get; set; }
    }
}
