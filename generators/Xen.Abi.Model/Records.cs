using System.Collections.Generic;

namespace Xen.Abi.Model
{
    /// <summary>A struct or union with its exact layout.</summary>
    public sealed class RecordDecl : Declared
    {
        /// <summary>
        /// Unique name within the model: the tag (<c>blkif_request</c>), else the typedef name of an anonymous record,
        /// else for an anonymous nested record the parent's id, a dot and the field name (<c>evtchn_op.u</c>),
        /// or <c>anonN</c> for an unnamed member (<c>vcpu_guest_context.anon0</c>).
        /// </summary>
        public string Id { get; set; } = "";

        /// <summary><c>struct</c> or <c>union</c>.</summary>
        public string Kind { get; set; } = "struct";

        /// <summary>The C tag, or null for an anonymous record.</summary>
        public string? Tag { get; set; }

        /// <summary>A typedef naming this record directly (<c>typedef struct x x_t;</c>), if any.</summary>
        public string? Typedef { get; set; }

        /// <summary>For a record declared inside another: the enclosing record's id.</summary>
        public string? Parent { get; set; }

        /// <summary>Size in bytes.</summary>
        public long Size { get; set; }

        /// <summary>Alignment in bytes.</summary>
        public long Align { get; set; }

        /// <summary>Fields in declaration order; an anonymous member has a null name.</summary>
        public List<FieldDecl> Fields { get; set; } = new List<FieldDecl>();
    }

    /// <summary>One field of a record.</summary>
    public sealed class FieldDecl
    {
        /// <summary>The field name, or null for an anonymous struct/union member.</summary>
        public string? Name { get; set; }

        /// <summary>The field's type.</summary>
        public TypeRef Type { get; set; } = new TypeRef();

        /// <summary>Offset from the start of the record, in bits (a multiple of 8 unless a bitfield).</summary>
        public long OffsetBits { get; set; }

        /// <summary>Size in bytes of the field's type (of the declared type for bitfields).</summary>
        public long Size { get; set; }

        /// <summary>For bitfields: the width in bits.</summary>
        public int? BitWidth { get; set; }

        /// <summary>
        /// True for a flexible array member: <c>T x[];</c>, or the GNU zero-length form <c>T x[0];</c> as the last field.
        /// </summary>
        public bool Flexible { get; set; }

        /// <summary>The header's comment for the field; null if none.</summary>
        public string? Doc { get; set; }
    }

    /// <summary>A typedef and the type it names.</summary>
    public sealed class TypedefDecl : Declared
    {
        /// <summary>The typedef name.</summary>
        public string Name { get; set; } = "";

        /// <summary>The type it stands for.</summary>
        public TypeRef Type { get; set; } = new TypeRef();
    }

    /// <summary>A guest handle (<c>XEN_GUEST_HANDLE(T)</c>) and its width on this architecture.</summary>
    public sealed class GuestHandle
    {
        /// <summary>The record id of the handle type, such as <c>__guest_handle_uint8</c>.</summary>
        public string Record { get; set; } = "";

        /// <summary>The C type it points to, as written.</summary>
        public string Target { get; set; } = "";

        /// <summary>Size in bytes: the pointer width, or 8 where the handle is widened to 64 bits (Arm).</summary>
        public long Size { get; set; }

        /// <summary>Alignment in bytes.</summary>
        public long Align { get; set; }
    }
}
