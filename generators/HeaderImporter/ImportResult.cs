using Xen.Abi.Model;

namespace XenGen.HeaderImporter;

/// <summary>A diagnostic of the import, with the header and line it concerns.</summary>
public sealed record ImportDiagnostic(string Header, int Line, string Message, bool IsError)
{
    /// <inheritdoc />
    public override string ToString() => $"{Header}:{Line}: {(IsError ? "error" : "warning")}: {Message}";
}

/// <summary>The model of one (release, architecture) and what the import had to say about it.</summary>
public sealed record ImportResult(AbiModel Model, IReadOnlyList<ImportDiagnostic> Diagnostics, TimeSpan Elapsed)
{
    /// <summary>True when any diagnostic is an error.</summary>
    public bool HasErrors => Diagnostics.Any(d => d.IsError);
}
