using System.Text;
using Xen.Abi.Io;
using Xen.Rings;

namespace Xen.Drivers.Console;

/// <summary>
/// The guest's end of the console page: lines go into the page's <c>out</c> ring and the console event channel is
/// notified. A console never stops the guest: when dom0 does not drain the ring within a short wait, the rest of
/// the line is dropped and counted; a page whose indices are broken stops the console.
/// </summary>
public sealed unsafe class XenConsole
{
    private static readonly TimeSpan DrainWait = TimeSpan.FromMilliseconds(200);
    private readonly ByteRing output;
    private readonly Action notify;
    private readonly object gate = new();
    private bool broken;
    private long dropped;

    internal XenConsole(XenconsInterface* page, Action notify)
    {
        output = XenconsInterfaceRing.Out(page);
        this.notify = notify;
    }

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
}
