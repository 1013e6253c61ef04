using Xen.XenStore.Protocol;

namespace Xen.XenStore.Client;

/// <summary><c>ENOENT</c>: no such node, transaction, watch or domain.</summary>
public sealed class XsNotFoundException(XsError error, string operation) : XsErrorException(error, operation);

/// <summary><c>EACCES</c> or <c>EPERM</c>: the caller's domain may not do this.</summary>
public sealed class XsPermissionDeniedException(XsError error, string operation) : XsErrorException(error, operation);

/// <summary><c>EEXIST</c>: the node, watch or domain already exists.</summary>
public sealed class XsAlreadyExistsException(XsError error, string operation) : XsErrorException(error, operation);

/// <summary><c>EINVAL</c>: a malformed path, value or argument (also raised before sending for what the header's limits forbid).</summary>
public sealed class XsInvalidArgumentException(XsError error, string operation) : XsErrorException(error, operation);

/// <summary><c>EAGAIN</c>: the transaction conflicted with another change and was not committed; run it again.</summary>
public sealed class XsTransactionConflictException(XsError error, string operation) : XsErrorException(error, operation);

/// <summary><c>ENOSPC</c>, <c>E2BIG</c> or <c>ENOMEM</c>: a quota or size limit was reached.</summary>
public sealed class XsLimitExceededException(XsError error, string operation) : XsErrorException(error, operation);

/// <summary>Turns an error of the header's <c>xsd_errors</c> table into the typed exception for it.</summary>
public static class XsErrorExceptions
{
    /// <summary>The exception for <paramref name="error"/>; an <see cref="XsErrorException"/> for errors without a more specific type.</summary>
    /// <param name="error">A row of the generated error table.</param>
    /// <param name="operation">The operation that failed, for the message.</param>
    /// <returns>The exception.</returns>
    public static XsErrorException Create(XsError error, string operation) => error.Name switch
    {
        "ENOENT" => new XsNotFoundException(error, operation),
        "EACCES" or "EPERM" => new XsPermissionDeniedException(error, operation),
        "EEXIST" => new XsAlreadyExistsException(error, operation),
        "EINVAL" => new XsInvalidArgumentException(error, operation),
        "EAGAIN" => new XsTransactionConflictException(error, operation),
        "ENOSPC" or "E2BIG" or "ENOMEM" => new XsLimitExceededException(error, operation),
        _ => new XsErrorException(error, operation),
    };

    /// <summary>The exception for the errno name carried by an <c>XS_ERROR</c> reply, looked up in the generated table.</summary>
    /// <param name="name">The name, such as <c>ENOENT</c>.</param>
    /// <param name="operation">The operation that failed.</param>
    /// <returns>The exception, or null when the table has no such name (a malformed reply).</returns>
    public static XsErrorException? FromName(string name, string operation) =>
        XsError.TryFromName(name, out var error) ? Create(error, operation) : null;
}
