using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BlkifRing.Xen;
using BlkifRing.Xen.Io;

// A front end and a back end on one shared blkif ring page, as xbf(4) and a block backend use it: the front end
// queues reads, the back end takes them and answers each with BLKIF_RSP_OKAY and the request's id, and the front
// end takes the answers. Three rounds of a full ring each; exits 1 if any answer is wrong.
const int Rounds = 3;
int pageBytes = 1 << Ring.XenPageShift;
unsafe
{
    var page = (BlkifSring*)NativeMemory.AlignedAlloc((nuint)pageBytes, (nuint)pageBytes);
    try
    {
        var front = BlkifFront.Init(page, pageBytes);
        var back = BlkifBack.Attach(page, pageBytes);
        ulong queued = 0, answered = 0;
        for (int round = 0; round < Rounds; round++)
        {
            while (front.TryQueueRequest(new BlkifRequest { Operation = Blkif.BlkifOpRead, NrSegments = 1, Id = queued, SectorNumber = queued * 8 })) queued++;
            bool notifyBack = front.PushRequestsAndCheckNotify();

            // Each consumer drains, then re-arms its event index (RING_FINAL_CHECK_FOR_*), so the next push notifies.
            do
            {
                while (back.TryTakeRequest(out var request))
                {
                    if (!back.TryQueueResponse(new BlkifResponse { Id = request.Id, Operation = request.Operation, Status = (short)Blkif.BlkifRspOkay }))
                        throw new InvalidOperationException("the response ring is full");
                }
            } while (back.FinalCheckForRequests());
            bool notifyFront = back.PushResponsesAndCheckNotify();

            do
            {
                while (front.TryTakeResponse(out var response))
                {
                    if (response.Id != answered || response.Status != Blkif.BlkifRspOkay || response.Operation != Blkif.BlkifOpRead)
                    {
                        Console.Error.WriteLine($"response {answered}: id {response.Id}, operation {response.Operation}, status {response.Status}");
                        return 1;
                    }
                    answered++;
                }
            } while (front.FinalCheckForResponses());
            Console.WriteLine($"round {round}: {front.Size} slots, {answered} answered, notify back {notifyBack}, notify front {notifyFront}");
        }
        Console.WriteLine($"{answered} of {queued} requests answered in order; BlkifRequest is {(typeof(BlkifRequest).IsPublic ? "public" : "internal")}, {Unsafe.SizeOf<BlkifRequest>()} bytes");
        Console.WriteLine($"struct blkif_sring is {Unsafe.SizeOf<BlkifSring>()} bytes");
        return answered == queued ? 0 : 1;
    }
    finally
    {
        NativeMemory.AlignedFree(page);
    }
}
