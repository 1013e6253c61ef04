using Xen.Abi.Io;
using Xen.Rings;
using Xen.Services;

namespace Xen.Drivers.Blkback.Rings;

/// <summary>
/// One ring of a vbd: the frontend's ring pages mapped, its event channel bound, and a worker thread that takes
/// each request (copied once off the ring), carries it out and answers, then waits for the next event. A frontend
/// that breaks the ring (a request producer past what it holds) halts this queue, as blkback does.
/// </summary>
internal sealed unsafe class BlkbackQueue : IDisposable
{
    /// <summary>Notifications sent around each response in <see cref="BlkbackHostility.EventStorm"/>.</summary>
    private const int StormBurst = 200;

    private readonly BlkbackQueueContext context;
    private readonly ForeignPages ringPages;
    private readonly PersistentGrants? persistent;
    private readonly BlkbackRequestHandler handler;
    private readonly AutoResetEvent kick = new(false);
    private readonly Thread worker;
    private readonly uint port;
    private readonly GrantAbuser? abuser;
    private BlkifBack ring;
    private volatile bool stopping;
    private bool lied; // a hostile mode wrote the shared producer itself: the ring is never pushed again, so the lie stays
    private long served;

    public BlkbackQueue(BlkbackQueueContext context, string name, IReadOnlyList<uint> ringRefs, uint remotePort, bool persistentGrants)
    {
        this.context = context;
        Name = name;
        ringPages = context.Foreign.Map(context.FrontendDomain, ringRefs.ToArray(), readOnly: false);
        try
        {
            ring = BlkifBack.Attach((BlkifSring*)ringPages.Address, ringPages.Length);
            persistent = persistentGrants ? new PersistentGrants(context.Foreign, context.FrontendDomain, context.Options.MaxPersistentGrants) : null;
            handler = new BlkbackRequestHandler(context, persistent);
            abuser = context.Options.Hostility == BlkbackHostility.GrantAbuse ? new GrantAbuser(context) : null;
            port = context.Events.BindInterdomain(context.FrontendDomain, remotePort, _ => kick.Set());
        }
        catch
        {
            ringPages.Dispose();
            throw;
        }
        worker = new Thread(Run) { IsBackground = true, Name = name };
        worker.Start();
    }

    /// <summary>The queue's name in logs (<c>blkback 1/51712 queue 0</c>).</summary>
    public string Name { get; }

    /// <summary>Requests answered.</summary>
    public long Served => Interlocked.Read(ref served);

    /// <summary>Grant abuses the hypervisor refused (<see cref="BlkbackHostility.GrantAbuse"/>).</summary>
    public int AbusesRefused => abuser?.Refused ?? 0;

    /// <summary>Grant abuses that went through (should stay 0: each targets memory not granted for it).</summary>
    public int AbusesAllowed => abuser?.Allowed ?? 0;

    private void Run()
    {
        try
        {
            while (!stopping)
            {
                do
                {
                    while (!stopping && !lied && ring.TryTakeRequest(out var request)) Answer(request);
                    if (!lied && ring.PushResponsesAndCheckNotify()) Notify();
                } while (!stopping && !lied && ring.FinalCheckForRequests());
                kick.WaitOne();
            }
        }
        catch (RingProtocolException e)
        {
            context.Log($"{Name}: the frontend broke the ring ({e.Message}); queue halted");
        }
        catch (Exception e) when (e is not OutOfMemoryException && stopping)
        {
            // Torn down under us (the event channel closed, the ring unmapped): nothing left to serve.
        }
    }

    private void Answer(in BlkifRequest request)
    {
        abuser?.Abuse(request);
        var response = handler.Handle(request);
        var hostility = context.Options.Hostility;
        switch (hostility)
        {
            case BlkbackHostility.LyingIds:
                response.Id += 0x10000;
                break;
            case BlkbackHostility.MismatchedOperation:
                response.Operation = response.Operation == Blkif.BlkifOpRead ? (byte)Blkif.BlkifOpWrite : (byte)Blkif.BlkifOpRead;
                break;
            case BlkbackHostility.ProducerOverflow:
                // No answer: a producer far past anything queued, as if the ring held more than it can.
                Volatile.Write(ref ring.Shared->RspProd, unchecked(ring.ResponseProducerPrivate + ring.Size + 7));
                lied = true;
                Notify();
                return;
        }
        ring.TryQueueResponse(response);
        Interlocked.Increment(ref served);
        if (hostility == BlkbackHostility.CompletedIds)
        {
            // The same answer once more, in the next slot, published with the first.
            ring.PushResponses();
            ring.ResponseAt(ring.ResponseProducerPrivate) = response;
            Volatile.Write(ref ring.Shared->RspProd, unchecked(ring.ResponseProducerPrivate + 1));
            lied = true;
            Notify();
        }
        if (hostility == BlkbackHostility.EventStorm)
        {
            for (var i = 0; i < StormBurst; i++) Notify();
        }
    }

    private void Notify()
    {
        try { context.Events.Notify(port); }
        catch (Exception e) when (e is not OutOfMemoryException && stopping) { }
    }

    /// <summary>Stops the worker, closes the event channel and unmaps the ring and persistent grants.</summary>
    public void Dispose()
    {
        stopping = true;
        kick.Set();
        if (!worker.Join(TimeSpan.FromSeconds(10))) context.Log($"{Name}: worker did not stop");
        try { context.Events.Close(port); }
        catch (Exception e) when (e is not OutOfMemoryException) { context.Log($"{Name}: closing port {port}: {e.Message}"); }
        persistent?.Dispose();
        ringPages.Dispose();
        kick.Dispose();
    }
}
