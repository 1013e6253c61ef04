namespace Xen.XenStore.Server;

/// <summary>A registered watch.</summary>
/// <param name="Path">The absolute path watched, or a special path such as <c>@releaseDomain</c>.</param>
/// <param name="Token">The caller's token, echoed in every event.</param>
/// <param name="RelativeTo">The home the watch path was given relative to; events are reported relative to it. Null when given absolute.</param>
internal sealed record XsServerWatch(string Path, byte[] Token, string? RelativeTo)
{
    /// <summary>Whether this is a special (<c>@</c>) watch.</summary>
    public bool IsSpecial => Path.StartsWith('@');

    /// <summary>The path to report for an event on <paramref name="absolute"/>.</summary>
    public string Report(string absolute) =>
        RelativeTo is not null && absolute.StartsWith(RelativeTo + "/", StringComparison.Ordinal) ? absolute[(RelativeTo.Length + 1)..] : absolute;
}
