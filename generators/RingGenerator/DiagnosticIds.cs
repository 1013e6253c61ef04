using Microsoft.CodeAnalysis;

namespace XenGen.RingGenerator
{
    /// <summary>The generator's diagnostics. Every problem with the input is one of these, never an exception.</summary>
    internal static class DiagnosticIds
    {
        public const string UnknownHeader = "XENGEN001";
        public const string ArchNotInModel = "XENGEN002";
        public const string MalformedModel = "XENGEN003";
        public const string MissingSetting = "XENGEN004";
        public const string ReleaseNotFound = "XENGEN005";
        public const string RingLayout = "XENGEN006";
        public const string UnsafeRequired = "XENGEN007";
        public const string RingsRuntimeMissing = "XENGEN008";
        public const string HeaderSkipped = "XENGEN009";
        public const string OpaqueField = "XENGEN010";
        public const string InternalError = "XENGEN011";
        public const string UnhandledKind = "XENGEN012";

        private const string Category = "XenGen";

        private static readonly DiagnosticDescriptor[] All =
        {
            new DiagnosticDescriptor(UnknownHeader, "Unknown Xen header", "{0}", Category, DiagnosticSeverity.Error, true),
            new DiagnosticDescriptor(ArchNotInModel, "Architecture not in the model", "{0}", Category, DiagnosticSeverity.Error, true),
            new DiagnosticDescriptor(MalformedModel, "Malformed ABI model", "{0}", Category, DiagnosticSeverity.Error, true),
            new DiagnosticDescriptor(MissingSetting, "Missing XenGen setting", "{0}", Category, DiagnosticSeverity.Error, true),
            new DiagnosticDescriptor(ReleaseNotFound, "No ABI model for the release", "{0}", Category, DiagnosticSeverity.Error, true),
            new DiagnosticDescriptor(RingLayout, "Ring not generated", "{0}", Category, DiagnosticSeverity.Warning, true),
            new DiagnosticDescriptor(UnsafeRequired, "Unsafe code required", "{0}", Category, DiagnosticSeverity.Error, true),
            new DiagnosticDescriptor(RingsRuntimeMissing, "Xen.Rings not referenced", "{0}", Category, DiagnosticSeverity.Error, true),
            new DiagnosticDescriptor(HeaderSkipped, "Header not imported for this architecture", "{0}", Category, DiagnosticSeverity.Warning, true),
            new DiagnosticDescriptor(OpaqueField, "Field generated as opaque bytes", "{0}", Category, DiagnosticSeverity.Warning, true),
            new DiagnosticDescriptor(InternalError, "XenGen generator failure", "{0}", Category, DiagnosticSeverity.Error, true),
            new DiagnosticDescriptor(UnhandledKind, "Kind not handled by a template", "{0}", Category, DiagnosticSeverity.Error, true),
        };

        public static DiagnosticDescriptor Descriptor(string id)
        {
            foreach (var d in All)
            {
                if (d.Id == id) return d;
            }
            return All[All.Length - 1];
        }
    }
}
