using System.Text;
using Xen.XenStore.Protocol;

namespace Xen.XenStore.Client;

/// <summary>
/// Checks and decodes reply frames: an <c>XS_ERROR</c> becomes the typed exception of the generated error table; a
/// reply of another type than the request's, or a payload not shaped as the request's reply, is a protocol error.
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
            var args = new XsArgumentReader(reply.Payload);
            if (!args.TryReadString(out var name)) name = args.ReadToEnd();
            string text = Encoding.ASCII.GetString(name);
            throw XsErrorExceptions.FromName(text, operation)
                ?? throw new XsProtocolException($"{operation}: XS_ERROR names '{text}', which io/xs_wire.h's xsd_errors does not have");
        }
    }

    /// <summary>A reply that must say <c>OK</c>.</summary>
    public static void Ok(XsMessageBuffer reply, string operation)
    {
        using (reply)
        {
            var payload = reply.Payload;
            if (!payload.SequenceEqual("OK\0"u8) && !payload.SequenceEqual("OK"u8)) throw Malformed(operation, "is not OK", payload);
        }
    }

    /// <summary>The value of an <c>XS_READ</c>: the whole payload.</summary>
    public static byte[] Bytes(XsMessageBuffer reply)
    {
        using (reply) return reply.Payload.ToArray();
    }

    /// <summary>A reply of one NUL-terminated string (a domain path, a transaction id, T or F); the NUL may be missing.</summary>
    public static string String(XsMessageBuffer reply)
    {
        using (reply)
        {
            var payload = reply.Payload;
            int nul = payload.IndexOf((byte)0);
            return Encoding.UTF8.GetString(nul < 0 ? payload : payload[..nul]);
        }
    }

    /// <summary>A reply of NUL-terminated strings (a directory, permissions).</summary>
    public static List<string> Strings(XsMessageBuffer reply, string operation)
    {
        using (reply)
        {
            var list = new List<string>();
            var args = new XsArgumentReader(reply.Payload);
            while (!args.IsAtEnd)
            {
                if (!args.TryReadString(out var item)) throw Malformed(operation, "has an unterminated string", reply.Payload);
                list.Add(Encoding.UTF8.GetString(item));
            }
            return list;
        }
    }

    /// <summary>A reply of unsigned decimal number.</summary>
    public static uint Number(XsMessageBuffer reply, string operation)
    {
        using (reply)
        {
            var payload = reply.Payload;
            int nul = payload.IndexOf((byte)0);
            if (!XsArgumentReader.TryParseUInt32(nul < 0 ? payload : payload[..nul], out uint value)) throw Malformed(operation, "is not a number", payload);
            return value;
        }
    }

    /// <summary>A reply that does not have the shape the request's reply has.</summary>
    public static XsProtocolException Malformed(string operation, string problem, ReadOnlySpan<byte> payload)
    {
        string shown = Encoding.ASCII.GetString(payload[..Math.Min(payload.Length, 64)]).Replace("\0", "\\0", StringComparison.Ordinal);
        return new XsProtocolException($"{operation}: malformed reply: it {problem} ('{shown}')");
    }
}
