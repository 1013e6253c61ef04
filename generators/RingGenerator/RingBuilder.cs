using System.Collections.Generic;
using System.Linq;
using Xen.Abi.Model;

namespace XenGen.RingGenerator
{
    /// <summary>
    /// Turns the model's rings into ring specs. Every number the ring accessors use comes from the model: the shared
    /// ring record's index offsets and slot start, the entry size and <c>XEN_PAGE_SHIFT</c>.
    /// </summary>
    internal sealed class RingBuilder
    {
        private readonly ModelIndex _index;
        private readonly NameTable _names;
        private readonly ModelDiagnostics _diagnostics;

        public RingBuilder(ModelIndex index, NameTable names, ModelDiagnostics diagnostics)
        {
            _index = index;
            _names = names;
            _diagnostics = diagnostics;
        }

        public RingSpec? Build(RingDecl g)
        {
            switch (ModelKinds.Of(g))
            {
                case RingKind.RequestResponse: return RequestResponse(g);
                case RingKind.Byte: return Bytes(g);
                case RingKind.Flex: return Flex(g);
                default:
                    _diagnostics.AtRing(Descriptors.UnhandledKind, g, $"ring '{g.Name}' has kind '{g.Kind}', which no ring template handles; it is not generated");
                    return null;
            }
        }

        private RingSpec? RequestResponse(RingDecl g)
        {
            string ns = _names.Namespace(g.Header);
            var sring = g.SharedRing == null ? null : _index.Record(g.SharedRing);
            var entry = g.Entry == null ? null : _index.Record(g.Entry);
            if (sring == null || entry == null || g.RequestRecord == null || g.ResponseRecord == null
                || !_index.IsEmitted(sring.Id) || !_index.IsEmitted(entry.Id) || !_index.IsEmitted(g.RequestRecord) || !_index.IsEmitted(g.ResponseRecord))
            {
                return Skip(g, "its shared ring, entry, request or response record is missing from the model");
            }
            var ring = sring.Fields.FirstOrDefault(f => f.Name == "ring");
            long reqProd = Offset(sring, "req_prod"), reqEvent = Offset(sring, "req_event"), rspProd = Offset(sring, "rsp_prod"), rspEvent = Offset(sring, "rsp_event");
            if (reqProd < 0 || reqEvent < 0 || rspProd < 0 || rspEvent < 0 || ring == null || ring.OffsetBits % 8 != 0)
            {
                return Skip(g, $"{RecordBuilder.CName(sring)} needs 32-bit fields req_prod, req_event, rsp_prod and rsp_event and a byte-aligned ring[]");
            }
            long ringOffset = ring.OffsetBits / 8;
            if (new[] { reqProd, reqEvent, rspProd, rspEvent }.Any(o => o + 4 > ringOffset))
            {
                return Skip(g, $"{RecordBuilder.CName(sring)} has an index field at or past ring[] (byte {ringOffset})");
            }
            var pageShift = PageShift();
            if (pageShift == null) return Skip(g, "the model has no XEN_PAGE_SHIFT (io/ring.h) between 1 and 31 to size multi-page rings by");
            string sharedType = _names.RecordRef(sring.Id, ns);
            var doc = Docs.Build(g.Doc, $"The {Docs.Code(g.Name)} request/response ring.",
                $"C: {Docs.Code((g.Macro ?? "DEFINE_RING_TYPES") + "(" + g.Name + ", " + g.Request + ", " + g.Response + ")")} in {Docs.Code(g.Header)} line {g.Line}; slots start at byte {ringOffset} and are {entry.Size} bytes apart.");
            return new RingSpec(RingKind.RequestResponse, Naming.Pascal(g.Name), doc,
                SharedType: sharedType,
                RequestType: _names.RecordRef(g.RequestRecord, ns),
                ResponseType: _names.RecordRef(g.ResponseRecord, ns),
                EntryType: _names.RecordRef(entry.Id, ns),
                EntrySize: entry.Size,
                FrontName: _names.ClaimTopLevel(g.Header, Naming.Pascal(g.Name) + "Front"),
                BackName: _names.ClaimTopLevel(g.Header, Naming.Pascal(g.Name) + "Back"),
                Channels: EquatableArray<ChannelSpec>.Empty,
                Layout: new LayoutSpec(_names.ClaimTopLevel(g.Header, Naming.Pascal(g.Name) + "RingLayout"), RecordBuilder.CName(sring), reqProd, reqEvent, rspProd, rspEvent, ringOffset),
                PageShift: pageShift);
        }

        private RingSpec? Bytes(RingDecl g)
        {
            var intf = _index.Record(g.Interface ?? g.Name);
            if (intf == null || !_index.IsEmitted(intf.Id)) return Skip(g, "its interface record is missing from the model");
            var channels = Channels(g, intf, fixedSize: true);
            if (channels == null) return null;
            var doc = Docs.Build(g.Doc, $"The byte rings of {Docs.Code(RecordBuilder.CName(intf))}.",
                $"C: {Docs.Code(RecordBuilder.CName(intf))} in {Docs.Code(g.Header)} line {g.Line}; each direction is a power-of-two buffer with free-running 32-bit indices.");
            return new RingSpec(RingKind.Byte, _names.ClaimTopLevel(g.Header, Naming.Pascal(g.Name) + "Ring"), doc,
                InterfaceType: _names.RecordRef(intf.Id, _names.Namespace(g.Header)), Channels: channels.Value);
        }

        private RingSpec? Flex(RingDecl g)
        {
            var pageShift = PageShift();
            if (pageShift == null) return Skip(g, "the model has no XEN_PAGE_SHIFT (io/ring.h) between 1 and 31 to size the ring by");
            var intf = g.Interface == null ? null : _index.Record(g.Interface);
            EquatableArray<ChannelSpec> channels = EquatableArray<ChannelSpec>.Empty;
            string intfType = "";
            if (intf != null && _index.IsEmitted(intf.Id))
            {
                var found = Channels(g, intf, fixedSize: false);
                if (found == null) return null;
                channels = found.Value;
                intfType = _names.RecordRef(intf.Id, _names.Namespace(g.Header));
            }
            var doc = Docs.Build(g.Doc, $"The {Docs.Code(g.Name)} flex ring: one byte ring per direction, each {Docs.Code("XEN_FLEX_RING_SIZE(order)")} bytes.",
                $"C: {Docs.Code((g.Macro ?? "DEFINE_XEN_FLEX_RING") + "(" + g.Name + ")")} in {Docs.Code(g.Header)} line {g.Line}.");
            return new RingSpec(RingKind.Flex, _names.ClaimTopLevel(g.Header, Naming.Pascal(g.Name) + "FlexRing"), doc, InterfaceType: intfType, Channels: channels, PageShift: pageShift);
        }

        /// <summary>
        /// The directions of a byte or flex ring: from the model, or else every <c>x_cons</c>/<c>x_prod</c> pair of the
        /// interface record. For a flex ring the buffer offset is the direction's position in the data area.
        /// </summary>
        private EquatableArray<ChannelSpec>? Channels(RingDecl g, RecordDecl intf, bool fixedSize)
        {
            var declared = g.Channels.Count > 0 ? g.Channels : intf.Fields
                .Where(f => f.Name != null && f.Name.EndsWith("_cons") && intf.Fields.Any(p => p.Name == f.Name.Substring(0, f.Name.Length - 5) + "_prod"))
                .Select(f => f.Name!.Substring(0, f.Name.Length - 5))
                .Select(b => new ByteRingChannel { Buffer = b, Consumer = b + "_cons", Producer = b + "_prod" }).ToList();
            var result = new List<ChannelSpec>();
            foreach (var c in declared)
            {
                long cons = Offset(intf, c.Consumer), prod = Offset(intf, c.Producer);
                var buffer = intf.Fields.FirstOrDefault(f => f.Name == c.Buffer);
                long size = c.Size > 0 ? c.Size : buffer?.Size ?? 0;
                if (cons < 0 || prod < 0 || (fixedSize && (buffer == null || size <= 0 || (size & (size - 1)) != 0)))
                {
                    Skip(g, $"direction '{c.Buffer}' needs 32-bit fields {c.Consumer} and {c.Producer}" + (fixedSize ? " and a power-of-two buffer" : ""));
                    return null;
                }
                long bufferOffset = fixedSize ? buffer!.OffsetBits / 8 : result.Count;
                var doc = Docs.Build(null, $"The {Docs.Code(c.Buffer)} direction.",
                    $"C: buffer {Docs.Code(c.Buffer)}, consumer {Docs.Code(c.Consumer)} at byte {cons}, producer {Docs.Code(c.Producer)} at byte {prod}" + (fixedSize ? $"; {size} bytes at byte {bufferOffset}." : "."));
                result.Add(new ChannelSpec(Naming.Pascal(c.Buffer), bufferOffset, fixedSize ? size : 0, cons, prod, doc));
            }
            if (result.Count == 0)
            {
                Skip(g, "it has no direction with consumer and producer indices");
                return null;
            }
            return result.ToEquatable();
        }

        /// <summary><c>XEN_PAGE_SHIFT</c> as the model defines it, preferring <c>io/ring.h</c>; null when it has none that fits.</summary>
        private PageShiftSpec? PageShift()
        {
            var c = _index.Model.Constants.Where(x => x.Name == "XEN_PAGE_SHIFT" && ModelKinds.Of(x) == ConstantKind.Int)
                .OrderBy(x => x.Header == "io/ring.h" ? 0 : 1).FirstOrDefault();
            if (c == null || !int.TryParse(c.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int shift) || shift < 1 || shift > 31) return null;
            return new PageShiftSpec(shift, $"{Docs.Code(c.Header)} line {c.Line}");
        }

        private static long Offset(RecordDecl r, string field)
        {
            var f = r.Fields.FirstOrDefault(x => x.Name == field);
            return f == null || f.Size != 4 || f.BitWidth != null ? -1 : f.OffsetBits / 8;
        }

        private RingSpec? Skip(RingDecl g, string why)
        {
            _diagnostics.AtRing(Descriptors.RingLayout, g, $"ring '{g.Name}' is not generated: {why}");
            return null;
        }
    }
}
