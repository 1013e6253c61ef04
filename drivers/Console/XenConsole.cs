using System.Text;
using Xen.Abi.Io;
using Xen.Rings;

namespace Xen.Drivers.Console;

/// <summary>
/// The guest's end of the console page (io/console.h): lines go into the page's <c>out</c> ring, what dom0 types
/// comes out of its <c>in</c> ring, and the console event channel is notified either way. A console never stops the
/// guest: when dom0 does not drain the ring within a short wait, the rest of the line is dropped and counted; a
/// direction whose indices are broken stops that direction only.
/// </summary>
public sealed class XenConsole
{
    private static readonly TimeSpan DrainWait = TimeSpan.FromMilliseconds(200);
    private readonly ByteRing output;
    private readonly ByteRing input;
    private readonly Action notify;
    private readonly object gate = new();
    private readonly object inputGate = new();
    private readonly SemaphoreSlim inputSignal = new(0, int.MaxValue);
    private bool broken;
    private volatile bool inputBroken;
    private long dropped;

    internal unsafe XenConsole(XenconsInterface* page, Action notify)
    {
        output = XenconsInterfaceRing.Out(page);
        input = XenconsInterfaceRing.In(page);
        this.notify = notify;
    }

    /// <summary>Whether dom0 broke the <c>in</c> ring's indices, so that input has stopped for good.</summary>
    public bool InputBroken => inputBroken;

    /// <summary>Bytes dropped because dom0 did not read in time.</summary>
    public long DroppedBytes => Interlocked.Read(ref dropped);

    /// <summary>Writes <paramref name="line"/> and a newline.</summary>
    public void WriteLine(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line + "\n");
        lock (gate)
        {
            if (broken) return;
            var data = bytes.AsSpan();
            var deadline = DateTime.UtcNow + DrainWait;
            try
            {
                while (!data.IsEmpty)
                {
                    var n = output.Write(data);
                    data = data[n..];
                    if (n > 0) notify();
                    if (data.IsEmpty) break;
                    if (DateTime.UtcNow > deadline)
                    {
                        Interlocked.Add(ref dropped, data.Length);
                        break;
                    }
                    Thread.Sleep(1);
                }
            }
            catch (RingProtocolException)
            {
                broken = true;
            }
        }
    }

    /// <summary>
    /// Copies up to <paramref name="destination"/>'s length of what dom0 wrote into the <c>in</c> ring, frees it and
    /// tells dom0 there is room; 0 when nothing is waiting or input has stopped (<see cref="InputBroken"/>).
    /// </summary>
    public int Read(Span<byte> destination)
    {
        int n;
        lock (inputGate)
        {
            if (inputBroken || destination.IsEmpty) return 0;
            try
            {
                n = input.Read(destination);
            }
            catch (RingProtocolException)
            {
                inputBroken = true;
                return 0;
            }
        }
        if (n > 0) notify();
        return n;
    }

    /// <summary>
    /// Waits for input and reads it as <see cref="Read"/> does; 0 once input has stopped (<see cref="InputBroken"/>).
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    public async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var n = Read(destination.Span);
            if (n > 0 || inputBroken || destination.IsEmpty) return n;
            await inputSignal.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The console event (event-channel context): dom0 wrote input or read output; wakes a waiting reader.</summary>
    internal void OnEvent() => inputSignal.Release();
}
