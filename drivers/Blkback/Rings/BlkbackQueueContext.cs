using Xen.Drivers.Blkback.Storage;
using Xen.Services;

namespace Xen.Drivers.Blkback.Rings;

/// <summary>What every queue of one vbd shares: its file, its frontend, what it offered and where it logs.</summary>
internal sealed record BlkbackQueueContext(
    string Name, BlkbackOptions Options, BackingFile File, IForeignMemoryService Foreign, IEventChannelService Events,
    ushort FrontendDomain, ulong Sectors, Action<string> Log);
