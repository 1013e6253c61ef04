using System;
using System.Collections.Generic;
using Xen.Abi.Model;

namespace XenGen.RingGenerator
{
    /// <summary>
    /// The C# name of every record, enum and header class of a model, decided once in model order so that a name
    /// never depends on which headers are selected.
    /// </summary>
    internal sealed class NameTable
    {
        private readonly string _root;
        private readonly Dictionary<string, NameScope> _namespaces = new Dictionary<string, NameScope>(StringComparer.Ordinal);
        private readonly Dictionary<string, (string Ns, string Path)> _records = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        private readonly Dictionary<string, (string Ns, string Name)> _enums = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _enumCNames = new Dictionary<string, string>(StringComparer.Ordinal);
        private readonly Dictionary<string, NameScope> _memberScopes = new Dictionary<string, NameScope>(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _headerClasses = new Dictionary<string, string>(StringComparer.Ordinal);

        public NameTable(AbiModel model, string root)
        {
            _root = root;
            // A folder's namespace is a name in its parent namespace: no type or header class may take it there
            // (arch-arm/smccc.h makes <Root>.ArchArm, so arch-arm.h's class is ArchArmConstants).
            foreach (var h in model.Headers)
            {
                if (h.Skipped != null) continue;
                string ns = Namespace(h.Path);
                for (int dot = ns.LastIndexOf('.'); dot >= root.Length; ns = ns.Substring(0, dot), dot = ns.LastIndexOf('.'))
                {
                    var parent = Scope(ns.Substring(0, dot));
                    string folder = ns.Substring(dot + 1);
                    if (!parent.IsTaken(folder)) parent.Claim(folder);
                }
            }
            var byId = new Dictionary<string, RecordDecl>(StringComparer.Ordinal);
            foreach (var r in model.Records) byId[r.Id] = r;
            foreach (var r in model.Records)
            {
                if (!IsNested(r)) _records[r.Id] = (Namespace(r.Header), Scope(Namespace(r.Header)).Claim(Naming.TypeName(r.Id)));
            }
            foreach (var r in model.Records)
            {
                if (IsNested(r)) NestedName(r, byId, 0);
            }
            foreach (var e in model.Enums)
            {
                if (!IsNamed(e)) continue;
                var scope = Scope(Namespace(e.Header));
                string name = scope.Claim(Naming.TypeName(e.Tag ?? e.Typedef!));
                _enums[e.Id] = (Namespace(e.Header), name);
                _enumCNames[e.Id] = scope.Claim(name + "CNames");
            }
            foreach (var h in model.Headers)
            {
                var scope = Scope(Namespace(h.Path));
                string cls = Naming.HeaderClass(h.Path);
                _headerClasses[h.Path] = scope.Claim(scope.IsTaken(cls) ? cls + "Constants" : cls);
            }
        }

        /// <summary>A record declared inside another without a tag or typedef of its own: it becomes a nested type.</summary>
        public static bool IsNested(RecordDecl r) => r.Parent != null && r.Tag == null && r.Typedef == null;

        /// <summary>An enum with a tag or typedef becomes an enum type; others become constants.</summary>
        public static bool IsNamed(EnumDecl e) => e.Tag != null || e.Typedef != null;

        public string Namespace(string header) => Naming.HeaderNamespace(_root, header);

        public string HeaderClass(string header) =>
            _headerClasses.TryGetValue(header, out var name) ? name : Naming.HeaderClass(header);

        /// <summary>Claims a further top-level name (a table or ring type) in a header's namespace.</summary>
        public string ClaimTopLevel(string header, string wanted) => Scope(Namespace(header)).Claim(wanted);

        /// <summary>The scope of a record's members: its nested types are already in it, and so is its own name.</summary>
        public NameScope MemberScope(string recordId)
        {
            if (!_memberScopes.TryGetValue(recordId, out var scope))
            {
                scope = new NameScope(SimpleName(recordId));
                _memberScopes[recordId] = scope;
            }
            return scope;
        }

        public bool HasRecord(string id) => _records.ContainsKey(id);

        /// <summary>The record's name as seen from code in namespace <paramref name="fromNs"/>.</summary>
        public string RecordRef(string id, string fromNs) => Qualify(_records[id], fromNs);

        public string SimpleName(string id)
        {
            string path = _records[id].Path;
            return path.Substring(path.LastIndexOf('.') + 1);
        }

        public bool HasEnum(string id) => _enums.ContainsKey(id);

        public string EnumRef(string id, string fromNs) => Qualify(_enums[id], fromNs);

        public string EnumName(string id) => _enums[id].Name;

        /// <summary>The static class of an enum's C name lookups: the enum's name plus <c>CNames</c>.</summary>
        public string EnumCNamesClass(string id) => _enumCNames[id];

        private static string Qualify((string Ns, string Path) name, string fromNs) =>
            name.Ns == fromNs ? name.Path : "global::" + name.Ns + "." + name.Path;

        private string NestedName(RecordDecl r, Dictionary<string, RecordDecl> byId, int depth)
        {
            if (_records.TryGetValue(r.Id, out var known)) return known.Path;
            if (depth < 32 && byId.TryGetValue(r.Parent!, out var parent))
            {
                if (IsNested(parent)) NestedName(parent, byId, depth + 1);
            }
            else
            {
                throw new ModelException($"record '{r.Id}' names a parent '{r.Parent}' that is not in the model", r);
            }
            string last = r.Id.Substring(r.Id.LastIndexOf('.') + 1);
            string name = MemberScope(r.Parent!).Claim(Naming.Pascal(last) + (ModelKinds.Require(r) == RecordKind.Union ? "Union" : "Struct"));
            var (ns, parentPath) = _records[r.Parent!];
            _records[r.Id] = (ns, parentPath + "." + name);
            return parentPath + "." + name;
        }

        private NameScope Scope(string ns)
        {
            if (!_namespaces.TryGetValue(ns, out var scope))
            {
                scope = new NameScope();
                _namespaces[ns] = scope;
            }
            return scope;
        }
    }

    /// <summary>The model is well-formed JSON but inconsistent (a dangling reference, an impossible layout).</summary>
    internal sealed class ModelException : Exception
    {
        public ModelException(string message, RecordDecl? record = null) : base(record == null ? message : $"{message} (C: {ModelDiagnostics.At(record)})") => Record = record;

        /// <summary>The record at fault, if one is.</summary>
        public RecordDecl? Record { get; }
    }
}
