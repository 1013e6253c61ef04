using Xen.XenStore.Protocol;

namespace Xen.XenStore.Client;

/// <summary>A request sent and not answered yet: completed by the receive thread with the reply frame.</summary>
internal sealed class XsPendingRequest : TaskCompletionSource<XsMessageBuffer>
{
    public XsPendingRequest(bool inline)
        : base(inline ? TaskCreationOptions.None : TaskCreationOptions.RunContinuationsAsynchronously)
    {
    }

    /// <summary>Hands the reply over; a reply nobody waits for any more (cancelled, faulted) is returned to the pool.</summary>
    public void Deliver(XsMessageBuffer reply)
    {
        if (!TrySetResult(reply)) reply.Dispose();
    }
}
