using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Xen.Abi.Model;

namespace XenGen.RingGenerator
{
    /// <summary>
    /// The diagnostics of one parse. One about a model element is placed at the element in the model file and names
    /// the C header and line it was declared at.
    /// </summary>
    internal sealed class ModelDiagnostics
    {
        private readonly List<DiagnosticSpec> _list = new List<DiagnosticSpec>();

        public ModelDiagnostics(ModelLocator locator) => Locator = locator;

        public ModelLocator Locator { get; }

        public EquatableArray<DiagnosticSpec> ToEquatable() => _list.ToEquatable();

        /// <summary>A diagnostic about the settings or the compilation, not about a place in the model.</summary>
        public void Add(DiagnosticDescriptor descriptor, string message) => _list.Add(new DiagnosticSpec(descriptor, message));

        public void AtRecord(DiagnosticDescriptor descriptor, RecordDecl r, string message) =>
            _list.Add(new DiagnosticSpec(descriptor, $"{message} (C: {At(r)})", Locator.Record(r.Id)));

        public void AtRing(DiagnosticDescriptor descriptor, RingDecl g, string message) =>
            _list.Add(new DiagnosticSpec(descriptor, $"{message} (C: {At(g)})", Locator.Ring(g.Name)));

        public void AtConstant(DiagnosticDescriptor descriptor, ConstantDecl c, string message) =>
            _list.Add(new DiagnosticSpec(descriptor, $"{message} (C: {At(c)})", Locator.Constant(c.Name)));

        public void AtTable(DiagnosticDescriptor descriptor, ConstantTable t, string message) =>
            _list.Add(new DiagnosticSpec(descriptor, $"{message} (C: {At(t)})", Locator.Table(t.Name)));

        /// <summary>The C header and line of a declaration, as <c>io/blkif.h:120</c>.</summary>
        public static string At(Declared d) => d.Header + ":" + d.Line;
    }
}
