using System.Diagnostics;
using Xen.Rings;

namespace XenGen.Tests.Interop;

/// <summary>
/// The C# end of a byte ring stream run, the mirror of byte_ring_peer.c's: on one thread, writes a stream into one
/// <see cref="ByteRing"/> and reads the peer's stream from the other, in chunks of random sizes, checking every byte.
/// Yields when neither ring moves, and gives up with the indices in the message on a timeout or when the peer has
/// exited and the rings stay still.
/// </summary>
public static class ByteRingDriver
{
    /// <summary>
    /// Writes <paramref name="bytes"/> bytes of stream <paramref name="sendSeed"/> into <paramref name="send"/> and
    /// reads as many from <paramref name="receive"/>, each checked against stream <paramref name="receiveSeed"/>.
    /// </summary>
    /// <param name="send">The ring this side produces into.</param>
    /// <param name="receive">The ring this side consumes.</param>
    /// <param name="bytes">The length of each stream.</param>
    /// <param name="sendSeed">The stream written.</param>
    /// <param name="receiveSeed">The stream expected.</param>
    /// <param name="timeout">How long the run may take.</param>
    /// <param name="peerExited">Whether the peer process has exited.</param>
    /// <returns>The rounds in which neither ring moved.</returns>
    /// <exception cref="InvalidDataException">A byte read differs from the stream.</exception>
    /// <exception cref="TimeoutException">The run took longer than <paramref name="timeout"/>, or the peer exited and the rings stopped.</exception>
    /// <exception cref="RingProtocolException">The peer published an index more than a ring's size away.</exception>
    public static ulong Run(ByteRing send, ByteRing receive, ulong bytes, ulong sendSeed, ulong receiveSeed, TimeSpan timeout, Func<bool> peerExited)
    {
        var clock = Stopwatch.StartNew();
        var outgoing = new byte[send.Size * 2];
        var incoming = new byte[receive.Size * 2];
        ulong sent = 0, received = 0, idle = 0, chunks = sendSeed | 1;
        bool peerGone = false;
        while (sent < bytes || received < bytes)
        {
            bool progressed = false;
            if (sent < bytes)
            {
                var chunk = outgoing.AsSpan(0, (int)Math.Min((ulong)ByteStream.NextChunk(ref chunks, send.Size), bytes - sent));
                ByteStream.Fill(sendSeed, sent, chunk);
                int n = send.Write(chunk);
                sent += (ulong)n;
                progressed |= n > 0;
            }
            if (received < bytes)
            {
                var chunk = incoming.AsSpan(0, (int)Math.Min((ulong)ByteStream.NextChunk(ref chunks, receive.Size), bytes - received));
                int n = receive.Read(chunk);
                int bad = ByteStream.FirstMismatch(receiveSeed, received, chunk[..n]);
                if (bad >= 0)
                {
                    throw new InvalidDataException($"byte {received + (ulong)bad} of the peer's stream is 0x{chunk[bad]:x2}, expected 0x{ByteStream.At(receiveSeed, received + (ulong)bad):x2} " + State());
                }
                received += (ulong)n;
                progressed |= n > 0;
            }
            if (progressed) continue;
            if ((++idle & 63) == 0)
            {
                if (clock.Elapsed > timeout) throw new TimeoutException($"timed out after {timeout} " + State());
                if (peerGone) throw new TimeoutException("the peer exited and the rings stopped " + State());
                peerGone = peerExited();
            }
            if (idle % 16 == 0) Thread.Yield();
            else Thread.SpinWait(10);
        }
        return idle;

        string State() =>
            $"(sent {sent} of {bytes}, prod={send.Producer} cons={send.Consumer}; received {received}, prod={receive.Producer} cons={receive.Consumer})";
    }
}
