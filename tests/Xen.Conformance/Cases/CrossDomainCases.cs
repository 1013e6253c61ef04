using static Xen.Conformance.Cases.Channels;
using static Xen.Conformance.Cases.Grants;

namespace Xen.Conformance.Cases;

/// <summary>
/// Cases between dom0 and a guest, on ports and grants the guest made for them (<see cref="Offer"/>): binding and
/// status across domains, and every permission check of map and copy on real grants (not granted, wrong domain,
/// read-only, revoked while mapped), and the offered port's bits in the guest's shared_info as dom0 reads them.
/// dom0 maps grants with GNTMAP_device_map, so its kernel's page tables never change.
/// </summary>
public static class CrossDomainCases
{
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(20);

    /// <summary>The guest's half: make the offer, publish it, answer dom0's revoke request, wait until dom0 is done.</summary>
    public static async Task OfferAsync(IXenDomain xen, IGranter granter, IPeerLink link, CaseLog log, CancellationToken cancel)
    {
        ushort self = (ushort)XenConst.DomidSelf;
        var (rc, forDom0) = AllocUnbound(xen, self, 0);
        log.Answer("evtchn.alloc_unbound.for_dom0", Allocated(rc, forDom0));
        var (rc2, forItself) = AllocUnbound(xen, self, self);
        log.Answer("evtchn.alloc_unbound.for_itself", Allocated(rc2, forItself));

        uint writable = granter.Grant(0, readOnly: false);
        uint readOnly = granter.Grant(0, readOnly: true);
        uint toItself = granter.Grant(xen.DomainId, readOnly: false);
        uint ended = granter.Grant(0, readOnly: false);
        uint toRevoke = granter.Grant(0, readOnly: false);
        granter.EndAccess(ended); // after the last grant, or the kernel hands the freed reference out again
        log.Info($"ports {forDom0} (for dom0) {forItself} (for itself); grants {writable} rw {readOnly} ro {toItself} (to itself) {ended} (ended) {toRevoke} (to revoke)");

        await link.PublishAsync(Offer.DomainId, xen.DomainId.ToString(), cancel);
        await link.PublishAsync(Offer.PortForDom0, forDom0.ToString(), cancel);
        await link.PublishAsync(Offer.PortForItself, forItself.ToString(), cancel);
        await link.PublishAsync(Offer.GrantWritable, writable.ToString(), cancel);
        await link.PublishAsync(Offer.GrantReadOnly, readOnly.ToString(), cancel);
        await link.PublishAsync(Offer.GrantToItself, toItself.ToString(), cancel);
        await link.PublishAsync(Offer.GrantEnded, ended.ToString(), cancel);
        await link.PublishAsync(Offer.GrantToRevoke, toRevoke.ToString(), cancel);
        await link.PublishAsync(Offer.Ready, "1", cancel);

        await link.WaitForAsync(Offer.Revoke, Step, cancel);
        granter.EndAccess(toRevoke);
        await link.PublishAsync(Offer.Revoked, "1", cancel);
        log.Info("ended access to the mapped grant; waiting for dom0 to finish");
        await link.WaitForAsync(Offer.Done, Step, cancel);
        log.Info("dom0 is done with the offer");

        log.Run("evtchn.status.for_dom0_after_dom0_closed", () => StatusAnswer(xen, self, forDom0, 0, new PortNames()));
        // Linux masks every port at boot, so the mask bit dom0 reads is Xen's only once Xen has cleared it.
        log.Run("evtchn.unmask.for_dom0", () => Answers.Rc(Unmask(xen, forDom0)));
        await link.PublishAsync(Offer.Unmasked, "1", cancel);
        await link.WaitForAsync(Offer.Close, Step, cancel);
        log.Run("evtchn.close.for_dom0", () => Answers.Rc(Close(xen, forDom0)));
        log.Run("evtchn.close.for_itself", () => Answers.Rc(Close(xen, forItself)));
        await PublishAnswersAsync(link, log, cancel);
        await link.PublishAsync(Offer.Closed, "1", cancel);
        await link.WaitForAsync(Offer.Finished, Step, cancel);
        log.Info("dom0 has finished");
    }

    // A XenStore value holds 4096 bytes with its path; chunks stay well below.
    private const int ChunkLength = 2048;

    /// <summary>
    /// The guest's answers for dom0 to log: a guest's console under load drops lines (one real run lost three in a
    /// row), while XenStore does not.
    /// </summary>
    private static async Task PublishAnswersAsync(IPeerLink link, CaseLog log, CancellationToken cancel)
    {
        var chunks = new List<string>();
        var chunk = new System.Text.StringBuilder();
        foreach (var line in log.Answers.Select(a => a.ToString()))
        {
            if (line.Length + 1 > ChunkLength) throw new InvalidOperationException($"answer line longer than {ChunkLength - 1} characters: {line}");
            if (chunk.Length + line.Length + 1 > ChunkLength) { chunks.Add(chunk.ToString()); chunk.Clear(); }
            chunk.Append(line).Append('\n');
        }
        if (chunk.Length > 0) chunks.Add(chunk.ToString());
        for (int i = 0; i < chunks.Count; i++) await link.PublishAsync(Offer.AnswerChunk(i), chunks[i], cancel);
        await link.PublishAsync(Offer.AnswerCount, chunks.Count.ToString(), cancel);
    }

    private static async Task<IReadOnlyList<CaseAnswer>> ReadAnswersAsync(IPeerLink link, CancellationToken cancel)
    {
        int count = int.Parse(await link.WaitForAsync(Offer.AnswerCount, Step, cancel));
        var text = new System.Text.StringBuilder();
        for (int i = 0; i < count; i++) text.Append(await link.WaitForAsync(Offer.AnswerChunk(i), Step, cancel));
        return CaseAnswer.ParseAll(text.ToString());
    }

    /// <summary>dom0's half, once the guest's offer is published; returns the guest's answers as it published them.</summary>
    public static async Task<IReadOnlyList<CaseAnswer>> RunDom0Async(IXenDomain xen, IPeerLink link, CaseLog log, CancellationToken cancel)
    {
        await link.WaitForAsync(Offer.Ready, Step, cancel);
        async Task<uint> Read(string key) => uint.Parse(await link.WaitForAsync(key, Step, cancel));
        ushort guest = (ushort)await Read(Offer.DomainId);
        uint forDom0 = await Read(Offer.PortForDom0), forItself = await Read(Offer.PortForItself);
        uint writable = await Read(Offer.GrantWritable), readOnly = await Read(Offer.GrantReadOnly);
        uint toItself = await Read(Offer.GrantToItself), ended = await Read(Offer.GrantEnded), toRevoke = await Read(Offer.GrantToRevoke);
        log.Info($"guest {guest}: ports {forDom0} {forItself}; grants {writable} {readOnly} {toItself} {ended} {toRevoke}");

        var (sharedInfo, sharedInfoMapped) = SharedInfoReader.Open(xen, guest, guest);
        log.Answer("shared_info.peer.map", sharedInfoMapped);
        if (sharedInfo is not null)
        {
            log.Run("shared_info.peer.wallclock", sharedInfo.Wallclock);
            log.Run("shared_info.peer.vcpu0_time", sharedInfo.Vcpu0Time);
        }
        Channels(xen, log, guest, forDom0, forItself, sharedInfo);
        MapChecks(xen, log, guest, writable, readOnly, toItself, ended);
        CopyChecks(xen, log, guest, writable, readOnly, toItself, ended);

        // Revoked while mapped: the guest ends access while dom0 holds a mapping; Xen's GTF_writing keeps it granted.
        var (mapped, op) = MapForDevice(xen, guest, toRevoke, readOnly: false);
        log.Answer("gnttab.map.to_revoke", mapped);
        await link.PublishAsync(Offer.Revoke, "1", cancel);
        await link.WaitForAsync(Offer.Revoked, Step, cancel);
        log.Run("gnttab.copy.revoked_while_mapped", () => Copy(xen, new End(guest, toRevoke), new End(guest, writable), 16));
        log.Run("gnttab.map.revoked_while_mapped", () => MapAndUnmap(xen, guest, toRevoke, readOnly: true));
        // Only a handle this suite got back is ever unmapped: any other could be the kernel's own mapping.
        if (op.Status == Gnttab.GntstOkay)
        {
            log.Run("gnttab.unmap.revoked_while_mapped", () => Unmap(xen, op.Handle, op.DevBusAddr));
            log.Run("gnttab.unmap.twice", () => Unmap(xen, op.Handle, op.DevBusAddr));
        }
        await link.PublishAsync(Offer.Done, "1", cancel);

        // The offered port after its owner unmasked and then closed it: Xen clears the mask bit, and the pending bit at close.
        await link.WaitForAsync(Offer.Unmasked, Step, cancel);
        if (sharedInfo is not null) log.Run("shared_info.peer.offered_after_unmask", () => sharedInfo.PendingAndMasked(forDom0));
        await link.PublishAsync(Offer.Close, "1", cancel);
        await link.WaitForAsync(Offer.Closed, Step, cancel);
        if (sharedInfo is not null) log.Run("shared_info.peer.offered_after_close", () => sharedInfo.Pending(forDom0));
        var guestAnswers = await ReadAnswersAsync(link, cancel);
        await link.PublishAsync(Offer.Finished, "1", cancel);
        return guestAnswers;
    }

    private static void Channels(IXenDomain xen, CaseLog log, ushort guest, uint forDom0, uint forItself, SharedInfoReader? sharedInfo)
    {
        void Peer(string name) { if (sharedInfo is not null) log.Run($"shared_info.peer.offered_{name}", () => sharedInfo.Pending(forDom0)); }
        var names = new PortNames().With(guest, forDom0, "offered");
        log.Run("evtchn.status.peer_offered", () => StatusAnswer(xen, guest, forDom0, guest, names));
        log.Run("evtchn.bind_interdomain.offered_to_another", () => Answers.Rc(BindInterdomain(xen, guest, forItself).Rc));
        log.Run("evtchn.bind_interdomain.peer_out_of_range", () => Answers.Rc(BindInterdomain(xen, guest, PortOutOfRange).Rc));
        var (rc, local) = BindInterdomain(xen, guest, forDom0);
        log.Answer("evtchn.bind_interdomain.offered", Allocated(rc, local));
        if (rc != 0) return;
        names.With(xen.DomainId, local, "local");
        Peer("after_bind");
        log.Run("evtchn.status.bound_local", () => StatusAnswer(xen, (ushort)XenConst.DomidSelf, local, guest, names));
        log.Run("evtchn.status.bound_peer", () => StatusAnswer(xen, guest, forDom0, guest, names));
        log.Run("evtchn.bind_interdomain.offered_twice", () => Answers.Rc(BindInterdomain(xen, guest, forDom0).Rc));
        log.Run("evtchn.send.to_peer", () => Answers.Rc(Send(xen, local)));
        Peer("after_send");
        log.Run("evtchn.close.bound_local", () => Answers.Rc(Close(xen, local)));
        Peer("after_peer_closed");
        log.Run("evtchn.status.peer_after_close", () => StatusAnswer(xen, guest, forDom0, guest, names));
    }

    private static void MapChecks(IXenDomain xen, CaseLog log, ushort guest, uint writable, uint readOnly, uint toItself, uint ended)
    {
        log.Run("gnttab.map.writable", () => MapAndUnmap(xen, guest, writable, readOnly: false));
        log.Run("gnttab.map.writable_read_only", () => MapAndUnmap(xen, guest, writable, readOnly: true));
        log.Run("gnttab.map.read_only_grant_writable", () => MapAndUnmap(xen, guest, readOnly, readOnly: false));
        log.Run("gnttab.map.read_only_grant_read_only", () => MapAndUnmap(xen, guest, readOnly, readOnly: true));
        log.Run("gnttab.map.granted_to_another", () => MapAndUnmap(xen, guest, toItself, readOnly: true));
        log.Run("gnttab.map.ended", () => MapAndUnmap(xen, guest, ended, readOnly: true));
        log.Run("gnttab.map.past_the_table", () => MapAndUnmap(xen, guest, RefOutOfRange, readOnly: true));
        log.Run("gnttab.map.neither_host_nor_device_on_grant", () => MapAndUnmap(xen, guest, writable, readOnly: true, flags: 0));
    }

    private static void CopyChecks(IXenDomain xen, CaseLog log, ushort guest, uint writable, uint readOnly, uint toItself, uint ended)
    {
        End Ref(uint gref, ushort offset = 0) => new(guest, gref, offset);
        log.Run("gnttab.copy.read_only_to_writable", () => Copy(xen, Ref(readOnly), Ref(writable, 100), 64));
        log.Run("gnttab.copy.writable_to_read_only", () => Copy(xen, Ref(writable), Ref(readOnly), 64));
        log.Run("gnttab.copy.from_granted_to_another", () => Copy(xen, Ref(toItself), Ref(writable), 64));
        log.Run("gnttab.copy.to_granted_to_another", () => Copy(xen, Ref(writable), Ref(toItself), 64));
        log.Run("gnttab.copy.from_ended", () => Copy(xen, Ref(ended), Ref(writable), 64));
        log.Run("gnttab.copy.from_past_the_table", () => Copy(xen, Ref(RefOutOfRange), Ref(writable), 64));
        log.Run("gnttab.copy.past_the_page_on_grants", () => Copy(xen, Ref(readOnly, 4000), Ref(writable), 200));
        log.Run("gnttab.copy.frame_of_peer", () => Copy(xen, new End(guest, 0, Gref: false), Ref(writable), 64));
    }
}
