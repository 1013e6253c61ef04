using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace XenGen.RingGenerator
{
    /// <summary>
    /// A diagnostic to report: its descriptor, its message and, for a problem in the model, where in the model file.
    /// Equatable (descriptors compare by content), so an unchanged input reports nothing new between runs.
    /// </summary>
    internal sealed record DiagnosticSpec(DiagnosticDescriptor Descriptor, string Message, ModelLocation? Location = null)
    {
        public Diagnostic ToDiagnostic() => Diagnostic.Create(Descriptor, Location?.ToLocation() ?? Microsoft.CodeAnalysis.Location.None, Message);
    }

    /// <summary>A span of the model file, as plain numbers (0-based lines and columns).</summary>
    internal sealed record ModelLocation(string Path, int Start, int Length, int Line, int Column, int EndLine, int EndColumn)
    {
        /// <summary>The whole file, for a problem no element of it is to blame for.</summary>
        public static ModelLocation File(string path) => new ModelLocation(path, 0, 0, 0, 0, 0, 0);

        public Location ToLocation() => Microsoft.CodeAnalysis.Location.Create(Path, new TextSpan(Start, Length),
            new LinePositionSpan(new LinePosition(Line, Column), new LinePosition(EndLine, EndColumn)));
    }
}
