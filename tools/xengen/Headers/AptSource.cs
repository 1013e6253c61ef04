namespace XenGen.Tool.Headers;

/// <summary>One binary (<c>deb</c>) apt source: an archive URI with its suites, components and signing key.</summary>
/// <param name="Uri">Archive URI, as the system's sources give it.</param>
/// <param name="Suites">Suites, e.g. <c>bookworm</c>, <c>bookworm-updates</c>.</param>
/// <param name="Components">Components, e.g. <c>main</c>.</param>
/// <param name="SignedBy">
/// The <c>Signed-By</c> value: a keyring path, or an inline key whose continuation lines are kept as written
/// (each starting with a space); null when the source names none.
/// </param>
internal sealed record AptSource(string Uri, IReadOnlyList<string> Suites, IReadOnlyList<string> Components, string? SignedBy);
