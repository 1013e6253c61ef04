using System.Text;

namespace Xen.Conformance.Cases;

/// <summary>XENVER_* answers (common/kernel.c do_xen_version and XSM's dummy xen_version policy).</summary>
public static class XenVersionCases
{
    // xen_commandline_t and xen_changeset_info_t are char arrays of these sizes; version.h names no constant for them.
    private const int CommandLineLength = 1024;
    private const int ChangesetLength = 64;

    /// <summary>Runs every case.</summary>
    public static void Run(IXenDomain xen, CaseLog log)
    {
        log.Run("xenver.version", () =>
        {
            long rc = xen.XenVersion(XenVer.XenverVersion);
            return rc < 0 ? Answers.Rc(rc) : $"{rc >> 16}.{rc & 0xffff}";
        });
        log.Run("xenver.extraversion", () => Text(xen, XenVer.XenverExtraversion, (int)XenVer.XenExtraversionLen));
        log.Run("xenver.capabilities", () => Text(xen, XenVer.XenverCapabilities, (int)XenVer.XenCapabilitiesInfoLen));
        log.Run("xenver.get_features.submap0", () => Features(xen, 0));
        log.Run("xenver.get_features.submap1", () => Features(xen, 1));
        log.Run("xenver.pagesize", () => Answers.Rc(xen.XenVersion(XenVer.XenverPagesize)));
        log.Run("xenver.commandline", () => RcOnly(xen, XenVer.XenverCommandline, CommandLineLength));
        log.Run("xenver.changeset", () => RcOnly(xen, XenVer.XenverChangeset, ChangesetLength));
        log.Run("xenver.compile_info", () => RcOnly(xen, XenVer.XenverCompileInfo, 256));
        log.Run("xenver.guest_handle", () => RcOnly(xen, XenVer.XenverGuestHandle, 16));
        log.Run("xenver.unknown_op", () => RcOnly(xen, EventChannelCases.UnknownCmd, 64));
    }

    private static string Features(IXenDomain xen, uint submap)
    {
        var info = new XenFeatureInfo { SubmapIdx = submap };
        long rc = xen.XenVersion(XenVer.XenverGetFeatures, ref info);
        return rc != 0 ? Answers.Rc(rc) : $"0 submap=0x{info.Submap:x8}";
    }

    private static string Text(IXenDomain xen, int cmd, int length)
    {
        Span<byte> buffer = new byte[length];
        long rc = xen.Hypercall(XenConst._HypervisorXenVersion, (ulong)cmd, buffer);
        if (rc != 0) return Answers.Rc(rc);
        int end = buffer.IndexOf((byte)0);
        return $"0 \"{Encoding.ASCII.GetString(end < 0 ? buffer : buffer[..end])}\"";
    }

    /// <summary>The result only: the text (a build's changeset, date, dom0's command line) is not Xen's behaviour.</summary>
    private static string RcOnly(IXenDomain xen, int cmd, int length) =>
        Answers.Rc(xen.Hypercall(XenConst._HypervisorXenVersion, (ulong)cmd, new byte[length]));
}
