using System.Text;
using Xen.XenStore.Protocol;

namespace Xen.XenStore.Client;

/// <summary>
/// Checks reply frames and decodes them with the protocol core's codec for the request's message type: an
/// <c>XS_ERROR</c> becomes the typed exception of the generated error table; a reply of another type than the
/// request's, or a payload the codec rejects, is a protocol error naming what is wrong. Each method disposes the reply.
/// </summary>
internal static class XsReplies
{
    /// <summary>Throws for an error reply or a reply of the wrong type (disposing it); returns it otherwise.</summary>
    public static XsMessageBuffer Check(XsMessageBuffer reply, XsdSockmsgType request, string context)
    {
        uint type = reply.Header.Type;
        if (type == (uint)request) return reply;
        string operation = $"{XsWireNames.Of(request)} {context}";
        using (reply)
        {
            if (type != (uint)XsdSockmsgType.XsError)
            {
                throw new XsProtocolException($"{operation}: the reply has type {type}, not {(uint)request}");
            }
            if (!XsErrorMessage.TryDecode(reply.Payload, out var error, out _, out string problem)) throw new XsProtocolException($"{operation}: XS_ERROR {problem}");
            throw XsErrorExceptions.Create(error, operation);
        }
    }

    /// <summary>A reply that must say <c>OK</c>.</summary>
    public static void Ok(XsMessageBuffer reply, string operation)
    {
        using (reply)
        {
            if (!XsOkReply.TryDecode(reply.Payload, out string problem)) throw Malformed(operation, problem, reply.Payload);
        }
    }

    /// <summary>The value of an <c>XS_READ</c>.</summary>
    public static byte[] Value(XsMessageBuffer reply)
    {
        using (reply) return XsReadMessage.DecodeReply(reply.Payload).ToArray();
    }

    /// <summary>The path of an <c>XS_GET_DOMAIN_PATH</c>.</summary>
    public static string DomainPath(XsMessageBuffer reply)
    {
        using (reply) return Encoding.UTF8.GetString(XsGetDomainPathMessage.DecodeReply(reply.Payload));
    }

    /// <summary>The text of an <c>XS_CONTROL</c>.</summary>
    public static string ControlText(XsMessageBuffer reply)
    {
        using (reply) return Encoding.UTF8.GetString(XsControlMessage.DecodeReply(reply.Payload));
    }

    /// <summary>The answer of an <c>XS_IS_DOMAIN_INTRODUCED</c>.</summary>
    public static bool Introduced(XsMessageBuffer reply, string operation)
    {
        using (reply)
        {
            if (!XsIsDomainIntroducedMessage.TryDecodeReply(reply.Payload, out bool introduced, out string problem)) throw Malformed(operation, problem, reply.Payload);
            return introduced;
        }
    }

    /// <summary>The names of an <c>XS_DIRECTORY</c>.</summary>
    public static List<string> Names(XsMessageBuffer reply, string operation)
    {
        using (reply)
        {
            if (!XsDirectoryMessage.TryDecodeReply(reply.Payload, out var names, out string problem)) throw Malformed(operation, problem, reply.Payload);
            return Strings(names);
        }
    }

    /// <summary>One part of an <c>XS_DIRECTORY_PART</c> listing: the node's generation, the names, and whether the list is complete.</summary>
    public static List<string> DirectoryPart(XsMessageBuffer reply, string operation, out string generation, out bool complete)
    {
        using (reply)
        {
            if (!XsDirectoryPartMessage.TryDecodeReply(reply.Payload, out var digits, out var names, out complete, out string problem)) throw Malformed(operation, problem, reply.Payload);
            generation = Encoding.ASCII.GetString(digits);
            return Strings(names);
        }
    }

    /// <summary>The permissions of an <c>XS_GET_PERMS</c>.</summary>
    public static XsPermissions Permissions(XsMessageBuffer reply, string operation)
    {
        using (reply)
        {
            if (!XsGetPermsMessage.TryDecodeReply(reply.Payload, out var permissions, out string problem)) throw Malformed(operation, problem, reply.Payload);
            return permissions;
        }
    }

    /// <summary>The id of an <c>XS_TRANSACTION_START</c>.</summary>
    public static uint TransactionId(XsMessageBuffer reply, string operation)
    {
        using (reply)
        {
            if (!XsTransactionStartMessage.TryDecodeReply(reply.Payload, out uint id, out string problem)) throw Malformed(operation, problem, reply.Payload);
            return id;
        }
    }

    /// <summary>A reply that does not have the shape the request's reply has.</summary>
    public static XsProtocolException Malformed(string operation, string problem, ReadOnlySpan<byte> payload)
    {
        string shown = Encoding.ASCII.GetString(payload[..Math.Min(payload.Length, 64)]).Replace("\0", "\\0", StringComparison.Ordinal);
        return new XsProtocolException($"{operation}: malformed reply: it {problem} ('{shown}')");
    }

    private static List<string> Strings(XsStringList list)
    {
        var strings = new List<string>(list.Count);
        foreach (var item in list) strings.Add(Encoding.UTF8.GetString(item));
        return strings;
    }
}
