using System;
using System.Collections.Generic;
using System.Linq;
using Xen.Abi.Model;

namespace XenGen.RingGenerator
{
    /// <summary>
    /// Lookups over a model and the set of records and enums to emit: those of the selected headers plus every
    /// record and enum they use, wherever declared.
    /// </summary>
    internal sealed class ModelIndex
    {
        private readonly Dictionary<string, RecordDecl> _records = new Dictionary<string, RecordDecl>(StringComparer.Ordinal);
        private readonly Dictionary<string, EnumDecl> _enums = new Dictionary<string, EnumDecl>(StringComparer.Ordinal);
        private readonly Dictionary<string, List<RecordDecl>> _nested = new Dictionary<string, List<RecordDecl>>(StringComparer.Ordinal);
        private readonly HashSet<string> _emittedRecords = new HashSet<string>(StringComparer.Ordinal);
        private readonly HashSet<string> _emittedEnums = new HashSet<string>(StringComparer.Ordinal);

        public ModelIndex(AbiModel model, ICollection<string> headers)
        {
            Model = model;
            foreach (var r in model.Records)
            {
                _records[r.Id] = r;
                if (NameTable.IsNested(r))
                {
                    if (!_nested.TryGetValue(r.Parent!, out var list)) _nested[r.Parent!] = list = new List<RecordDecl>();
                    list.Add(r);
                }
            }
            foreach (var e in model.Enums) _enums[e.Id] = e;
            foreach (var r in model.Records)
            {
                if (!NameTable.IsNested(r) && headers.Contains(r.Header)) UseRecord(r.Id);
            }
            foreach (var e in model.Enums)
            {
                if (NameTable.IsNamed(e) && headers.Contains(e.Header)) _emittedEnums.Add(e.Id);
            }
        }

        public AbiModel Model { get; }

        public RecordDecl? Record(string id) => _records.TryGetValue(id, out var r) ? r : null;

        public IEnumerable<RecordDecl> NestedIn(string id) => _nested.TryGetValue(id, out var list) ? list : Enumerable.Empty<RecordDecl>();

        /// <summary>Whether a record gets a C# type: it is used and has a size (C# has no empty structs).</summary>
        public bool IsEmitted(string id) => _emittedRecords.Contains(id) && _records[id].Size > 0;

        public bool IsEmittedEnum(string id) => _emittedEnums.Contains(id);

        public long EnumSize(string id) => _enums.TryGetValue(id, out var e) ? e.Size : 0;

        /// <summary>The top-level records to emit, in model order.</summary>
        public IEnumerable<RecordDecl> TopLevelRecords => Model.Records.Where(r => !NameTable.IsNested(r) && IsEmitted(r.Id));

        private void UseRecord(string id)
        {
            if (!_records.TryGetValue(id, out var r) || !_emittedRecords.Add(id)) return;
            var top = r;
            while (NameTable.IsNested(top) && _records.TryGetValue(top.Parent!, out var parent)) top = parent;
            if (top != r) UseRecord(top.Id);
            foreach (var f in r.Fields) UseType(f.Type);
            foreach (var n in NestedIn(id)) UseRecord(n.Id);
        }

        private void UseType(TypeRef t)
        {
            for (var x = t; x != null; x = x.Element)
            {
                if (ModelKinds.Of(x) == CTypeKind.Record && x.Record != null) UseRecord(x.Record);
                if (ModelKinds.Of(x) == CTypeKind.Enum && x.Enum != null && _enums.TryGetValue(x.Enum, out var e) && NameTable.IsNamed(e)) _emittedEnums.Add(x.Enum);
            }
        }
    }
}
