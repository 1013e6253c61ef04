using System.Text;

namespace Xen.Simulator.Hypercalls;

/// <summary>__HYPERVISOR_xen_version: XENVER_version, XENVER_extraversion, XENVER_get_features.</summary>
internal static unsafe class XenVersionOp
{
    internal static long Handle(HypercallContext call, ulong cmd, ulong arg)
    {
        var options = call.Domain.Xen.Options;
        switch (cmd)
        {
            case Abi.Version.XenverVersion:
                return (options.Major << 16) | options.Minor;

            case Abi.Version.XenverExtraversion:
                var text = call.Memory.Pointer<byte>(arg);
                if (text is null || !call.Memory.Contains(arg, (nuint)Abi.Version.XenExtraversionLen))
                {
                    return Errno.Fault;
                }

                var bytes = new Span<byte>(text, (int)Abi.Version.XenExtraversionLen);
                bytes.Clear();
                Encoding.ASCII.GetBytes(options.ExtraVersion.AsSpan(0, Math.Min(options.ExtraVersion.Length, bytes.Length - 1)), bytes);
                return 0;

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
}
