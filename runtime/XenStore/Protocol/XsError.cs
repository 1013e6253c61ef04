namespace Xen.XenStore.Protocol;

/// <summary>
/// A XenStore error: a row of the header's <c>xsd_errors</c> table (errno value and its name, which is what
/// travels in an <c>XS_ERROR</c> payload). The default value means "no error".
/// </summary>
/// <param name="Errnum">The errno value.</param>
/// <param name="Name">The errno name, such as <c>ENOENT</c>; null for no error.</param>
public readonly record struct XsError(int Errnum, string? Name)
{
    /// <summary>Invalid argument.</summary>
    public static XsError Einval { get; } = Named("EINVAL");
    /// <summary>Permission denied.</summary>
    public static XsError Eacces { get; } = Named("EACCES");
    /// <summary>Already exists.</summary>
    public static XsError Eexist { get; } = Named("EEXIST");
    /// <summary>No such node, transaction, watch or domain.</summary>
    public static XsError Enoent { get; } = Named("ENOENT");
    /// <summary>Out of space: a quota was reached.</summary>
    public static XsError Enospc { get; } = Named("ENOSPC");
    /// <summary>Not implemented.</summary>
    public static XsError Enosys { get; } = Named("ENOSYS");
    /// <summary>Busy.</summary>
    public static XsError Ebusy { get; } = Named("EBUSY");
    /// <summary>The transaction conflicted; retry it.</summary>
    public static XsError Eagain { get; } = Named("EAGAIN");
    /// <summary>Already connected.</summary>
    public static XsError Eisconn { get; } = Named("EISCONN");
    /// <summary>Too big for one message, or too many of something.</summary>
    public static XsError E2big { get; } = Named("E2BIG");
    /// <summary>Operation not permitted.</summary>
    public static XsError Eperm { get; } = Named("EPERM");
    /// <summary>I/O error: what a reply names when the error is not in the table.</summary>
    public static XsError Eio { get; } = Named("EIO");

    /// <summary>Whether this is an error (not the default value).</summary>
    public bool IsError => Name is not null;

    /// <summary>Looks an error up by its name in the generated table.</summary>
    /// <param name="name">The errno name from an <c>XS_ERROR</c> payload.</param>
    /// <param name="error">The row found.</param>
    /// <returns>Whether the table has that name.</returns>
    public static bool TryFromName(string name, out XsError error)
    {
        bool found = XsdErrorsTable.TryFindByErrstring(name, out var row);
        error = found ? new XsError(row.Errnum, row.Errstring) : default;
        return found;
    }

    /// <summary>Looks an error up by its errno value in the generated table.</summary>
    /// <param name="errnum">The errno value.</param>
    /// <param name="error">The row found.</param>
    /// <returns>Whether the table has that value.</returns>
    public static bool TryFromErrnum(int errnum, out XsError error)
    {
        bool found = XsdErrorsTable.TryFindByErrnum(errnum, out var row);
        error = found ? new XsError(row.Errnum, row.Errstring) : default;
        return found;
    }

    /// <inheritdoc />
    public override string ToString() => Name ?? "OK";

    private static XsError Named(string name) =>
        TryFromName(name, out var error) ? error : throw new InvalidOperationException($"io/xs_wire.h's xsd_errors has no {name}");
}
