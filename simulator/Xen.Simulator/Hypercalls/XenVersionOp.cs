using System.Text;
using Xen.Simulator.Memory;

namespace Xen.Simulator.Hypercalls;

/// <summary>
/// __HYPERVISOR_xen_version (common/kernel.c): version, extraversion, capabilities, changeset, compile_info,
/// pagesize, guest_handle, get_features and commandline; an unknown sub-op is -ENOSYS. Real Xen 4.17 answered a
/// guest's commandline and unknown sub-ops as it answers dom0's (the conformance suite's guest run).
/// </summary>
internal static unsafe class XenVersionOp
{
    // xen_commandline_t is char[1024] and xen_domain_handle_t uint8_t[16]; the headers name no constant for either.
    private const int CommandLineLength = 1024;
    private const int DomainHandleLength = 16;

    internal static long Handle(HypercallContext call, ulong cmd, ulong arg)
    {
        var options = call.Domain.Xen.Options;
        switch (cmd)
        {
            case Abi.Version.XenverVersion:
                return (options.Major << 16) | options.Minor;
            case Abi.Version.XenverExtraversion:
                return WriteText(call, arg, options.ExtraVersion, (int)Abi.Version.XenExtraversionLen);
            case Abi.Version.XenverCapabilities:
                return WriteText(call, arg, options.Capabilities, (int)Abi.Version.XenCapabilitiesInfoLen);
            case Abi.Version.XenverChangeset:
                return WriteText(call, arg, options.Changeset, (int)Abi.Version.XenChangesetInfoLen);
            case Abi.Version.XenverCompileInfo:
                return WriteText(call, arg, "", sizeof(XenCompileInfo));
            case Abi.Version.XenverCommandline:
                return WriteText(call, arg, options.CommandLine, CommandLineLength);
            case Abi.Version.XenverGuestHandle:
                return WriteText(call, arg, "", DomainHandleLength);
            case Abi.Version.XenverPagesize:
                return (long)Frames.Size;
            case Abi.Version.XenverGetFeatures:
                var info = call.Memory.Pointer<XenFeatureInfo>(arg);
                if (info is null)
                {
                    return Errno.Fault;
                }

                if (info->SubmapIdx >= Features.XenfeatNrSubmaps)
                {
                    return Errno.Invalid;
                }

                info->Submap = call.Domain.Features;
                return 0;
            default:
                return Errno.NoSys;
        }
    }

    /// <summary>Writes <paramref name="text"/>, NUL-padded, into the caller's <paramref name="length"/>-byte buffer.</summary>
    private static long WriteText(HypercallContext call, ulong arg, string text, int length)
    {
        var buffer = call.Memory.Pointer<byte>(arg);
        if (buffer is null || !call.Memory.Contains(arg, (nuint)length))
        {
            return Errno.Fault;
        }

        var bytes = new Span<byte>(buffer, length);
        bytes.Clear();
        Encoding.ASCII.GetBytes(text.AsSpan(0, Math.Min(text.Length, length - 1)), bytes);
        return 0;
    }
}
