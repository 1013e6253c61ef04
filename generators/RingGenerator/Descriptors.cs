using Microsoft.CodeAnalysis;

namespace XenGen.RingGenerator
{
    /// <summary>The generator's diagnostics. Every problem with the input is one of these, never an exception.</summary>
    internal static class Descriptors
    {
        private const string Category = "XenGen";

        public static readonly DiagnosticDescriptor UnknownHeader = Error("XENGEN001", "Unknown Xen header");
        public static readonly DiagnosticDescriptor ArchNotInModel = Error("XENGEN002", "Architecture not in the model");
        public static readonly DiagnosticDescriptor MalformedModel = Error("XENGEN003", "Malformed ABI model");
        public static readonly DiagnosticDescriptor MissingSetting = Error("XENGEN004", "Missing XenGen setting");
        public static readonly DiagnosticDescriptor ReleaseNotFound = Error("XENGEN005", "No ABI model for the release");
        public static readonly DiagnosticDescriptor RingLayout = Warning("XENGEN006", "Ring not generated");
        public static readonly DiagnosticDescriptor UnsafeRequired = Error("XENGEN007", "Unsafe code required");
        public static readonly DiagnosticDescriptor RingsRuntimeMissing = Error("XENGEN008", "Xen.Rings not referenced");
        public static readonly DiagnosticDescriptor HeaderSkipped = Warning("XENGEN009", "Header not imported for this architecture");
        public static readonly DiagnosticDescriptor OpaqueField = Warning("XENGEN010", "Field generated as opaque bytes");
        public static readonly DiagnosticDescriptor InternalError = Error("XENGEN011", "XenGen generator failure");
        public static readonly DiagnosticDescriptor UnhandledKind = Error("XENGEN012", "Kind not handled by a template");
        public static readonly DiagnosticDescriptor InvalidSetting = Error("XENGEN013", "Invalid XenGen setting");

        private static DiagnosticDescriptor Error(string id, string title) =>
            new DiagnosticDescriptor(id, title, "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        private static DiagnosticDescriptor Warning(string id, string title) =>
            new DiagnosticDescriptor(id, title, "{0}", Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);
    }
}
