using System.Collections.Generic;

namespace Xen.Abi.Model
{
    /// <summary>The kinds of <see cref="RingDecl"/>.</summary>
    public static class RingKinds
    {
        /// <summary>A request/response ring from <c>DEFINE_RING_TYPES</c> (<c>io/ring.h</c>).</summary>
        public const string Ring = "ring";
        /// <summary>A byte ring from <c>DEFINE_XEN_FLEX_RING</c>.</summary>
        public const string FlexRing = "flexRing";
        /// <summary>A flex ring pair with its interface page from <c>DEFINE_XEN_FLEX_RING_AND_INTF</c>.</summary>
        public const string FlexRingAndIntf = "flexRingAndIntf";
        /// <summary>
        /// A fixed-size byte ring laid out in a record as <c>char x[N]</c> with <c>x_cons</c> and <c>x_prod</c>
        /// indices, such as the XenStore ring page in <c>io/xs_wire.h</c> and the console page in <c>io/console.h</c>.
        /// </summary>
        public const string ByteRing = "byteRing";
    }

    /// <summary>A shared-memory ring declared by a header.</summary>
    public sealed class RingDecl : Declared
    {
        /// <summary>The ring's name: the first macro argument, or the interface record for byte rings.</summary>
        public string Name { get; set; } = "";

        /// <summary>One of <see cref="RingKinds"/>.</summary>
        public string Kind { get; set; } = RingKinds.Ring;

        /// <summary>The macro that declared it, or null for a byte ring found by its layout.</summary>
        public string? Macro { get; set; }

        /// <summary>For <see cref="RingKinds.Ring"/>: the request type as written.</summary>
        public string? Request { get; set; }

        /// <summary>For <see cref="RingKinds.Ring"/>: the request's record id.</summary>
        public string? RequestRecord { get; set; }

        /// <summary>For <see cref="RingKinds.Ring"/>: the response type as written.</summary>
        public string? Response { get; set; }

        /// <summary>For <see cref="RingKinds.Ring"/>: the response's record id.</summary>
        public string? ResponseRecord { get; set; }

        /// <summary>For <see cref="RingKinds.Ring"/>: the shared ring record (<c>name_sring</c>).</summary>
        public string? SharedRing { get; set; }

        /// <summary>For <see cref="RingKinds.Ring"/>: the slot union (<c>name_sring_entry</c>).</summary>
        public string? Entry { get; set; }

        /// <summary>For byte rings and <see cref="RingKinds.FlexRingAndIntf"/>: the record holding the indices.</summary>
        public string? Interface { get; set; }

        /// <summary>For byte rings: each direction's buffer and index fields.</summary>
        public List<ByteRingChannel> Channels { get; set; } = new List<ByteRingChannel>();
    }

    /// <summary>One direction of a byte ring.</summary>
    public sealed class ByteRingChannel
    {
        /// <summary>The buffer field (<c>req</c>).</summary>
        public string Buffer { get; set; } = "";

        /// <summary>The consumer index field (<c>req_cons</c>).</summary>
        public string Consumer { get; set; } = "";

        /// <summary>The producer index field (<c>req_prod</c>).</summary>
        public string Producer { get; set; } = "";

        /// <summary>The buffer's size in bytes; 0 when it depends on a runtime ring order (flex rings).</summary>
        public long Size { get; set; }
    }
}
