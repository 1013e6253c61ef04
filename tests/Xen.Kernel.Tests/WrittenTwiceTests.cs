using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;

namespace Xen.Kernel.Tests;

/// <summary>
/// The kernel is its own corelib, so it cannot reference Xen.Abi; the few Xen numbers and layouts it needs are
/// written in it a second time. Read from its IL's metadata (it cannot be loaded next to the BCL), each one must
/// equal Xen.Abi's generated one.
/// </summary>
[Collection(KernelImageCollection.Name)]
public sealed class WrittenTwiceTests(KernelImage image)
{
    [Fact]
    public void Cpuid_leaves_equal_xen_abi()
    {
        using var kernel = new KernelMetadata(image.Assembly);
        var leaves = kernel.Type("Xen.Kernel.Nexus", "CpuidLeaves");
        Assert.Equal((uint)Xen.Abi.ArchX86.Cpuid.XenCpuidFirstLeaf, kernel.UIntConstant(leaves, "FirstLeaf"));
        Assert.Equal((uint)Xen.Abi.ArchX86.Cpuid.XenCpuidSignatureEbx, kernel.UIntConstant(leaves, "SignatureEbx"));
        Assert.Equal((uint)Xen.Abi.ArchX86.Cpuid.XenCpuidSignatureEcx, kernel.UIntConstant(leaves, "SignatureEcx"));
        Assert.Equal((uint)Xen.Abi.ArchX86.Cpuid.XenCpuidSignatureEdx, kernel.UIntConstant(leaves, "SignatureEdx"));
        Assert.Equal(Xen.Nexus.Init.DetectXenStep.LeafRange, kernel.UIntConstant(leaves, "LeafRange"));
        Assert.Equal(Xen.Nexus.Init.DetectXenStep.LeafStep, kernel.UIntConstant(leaves, "LeafStep"));
    }

    [Fact]
    public void Hypercall_numbers_equal_xen_abi()
    {
        using var kernel = new KernelMetadata(image.Assembly);
        var numbers = kernel.Type("Xen.Kernel.Nexus", "XenNumbers");
        var expected = new Dictionary<string, ulong>
        {
            ["HypervisorMemoryOp"] = (ulong)Xen.Abi.Xen._HypervisorMemoryOp,
            ["HypervisorXenVersion"] = (ulong)Xen.Abi.Xen._HypervisorXenVersion,
            ["HypervisorGrantTableOp"] = (ulong)Xen.Abi.Xen._HypervisorGrantTableOp,
            ["HypervisorVcpuOp"] = (ulong)Xen.Abi.Xen._HypervisorVcpuOp,
            ["HypervisorSchedOp"] = (ulong)Xen.Abi.Xen._HypervisorSchedOp,
            ["VcpuopRegisterVcpuInfo"] = (ulong)Xen.Abi.Vcpu.VcpuopRegisterVcpuInfo,
            ["HypervisorEventChannelOp"] = (ulong)Xen.Abi.Xen._HypervisorEventChannelOp,
            ["HypervisorHvmOp"] = (ulong)Xen.Abi.Xen._HypervisorHvmOp,
            ["DomidSelf"] = (ulong)Xen.Abi.Xen.DomidSelf,
            ["XenverVersion"] = (ulong)Xen.Abi.Version.XenverVersion,
            ["XenverGetFeatures"] = (ulong)Xen.Abi.Version.XenverGetFeatures,
            ["XenfeatHvmCallbackVector"] = (ulong)Xen.Abi.Features.XenfeatHvmCallbackVector,
            ["SchedopShutdown"] = (ulong)Xen.Abi.Sched.SchedopShutdown,
            ["SchedopPoll"] = (ulong)Xen.Abi.Sched.SchedopPoll,
            ["ShutdownPoweroff"] = (ulong)Xen.Abi.Sched.ShutdownPoweroff,
            ["XenmemAddToPhysmap"] = (ulong)Xen.Abi.Memory.XenmemAddToPhysmap,
            ["XenmapspaceSharedInfo"] = (ulong)Xen.Abi.Memory.XenmapspaceSharedInfo,
            ["XenmapspaceGrantTable"] = (ulong)Xen.Abi.Memory.XenmapspaceGrantTable,
            ["HvmopSetParam"] = (ulong)Xen.Abi.Hvm.HvmOp.HvmopSetParam,
            ["HvmopGetParam"] = (ulong)Xen.Abi.Hvm.HvmOp.HvmopGetParam,
            ["HvmParamCallbackIrq"] = (ulong)Xen.Abi.Hvm.Params.HvmParamCallbackIrq,
            ["HvmParamStorePfn"] = (ulong)Xen.Abi.Hvm.Params.HvmParamStorePfn,
            ["HvmParamStoreEvtchn"] = (ulong)Xen.Abi.Hvm.Params.HvmParamStoreEvtchn,
            ["HvmParamConsolePfn"] = (ulong)Xen.Abi.Hvm.Params.HvmParamConsolePfn,
            ["HvmParamConsoleEvtchn"] = (ulong)Xen.Abi.Hvm.Params.HvmParamConsoleEvtchn,
            ["HvmParamCallbackTypeVector"] = (ulong)Xen.Abi.Hvm.Params.HvmParamCallbackTypeVector,
            ["HvmParamCallbackIrqTypeShift"] = (ulong)System.Numerics.BitOperations.TrailingZeroCount(Xen.Abi.Hvm.Params.HvmParamCallbackIrqTypeMask),
            ["EvtchnopSend"] = (ulong)Xen.Abi.EventChannel.EvtchnopSend,
            ["EvtchnopUnmask"] = (ulong)Xen.Abi.EventChannel.EvtchnopUnmask,
            ["GnttabopQuerySize"] = (ulong)Xen.Abi.GrantTable.GnttabopQuerySize,
            ["GnttabNrReservedEntries"] = (ulong)Xen.Abi.GrantTable.GnttabNrReservedEntries,
            ["GntstOkay"] = (ulong)Xen.Abi.GrantTable.GntstOkay,
        };
        AssertConstants(kernel, numbers, expected);
    }

    [Fact]
    public void Xenstore_numbers_equal_xen_abi()
    {
        using var kernel = new KernelMetadata(image.Assembly);
        AssertConstants(kernel, kernel.Type("Xen.Kernel.Store", "XsNumbers"), new Dictionary<string, ulong>
        {
            ["XsDirectory"] = (ulong)Xen.Abi.Io.XsdSockmsgType.XsDirectory,
            ["XsRead"] = (ulong)Xen.Abi.Io.XsdSockmsgType.XsRead,
            ["XsWatch"] = (ulong)Xen.Abi.Io.XsdSockmsgType.XsWatch,
            ["XsWrite"] = (ulong)Xen.Abi.Io.XsdSockmsgType.XsWrite,
            ["XsWatchEvent"] = (ulong)Xen.Abi.Io.XsdSockmsgType.XsWatchEvent,
            ["XsError"] = (ulong)Xen.Abi.Io.XsdSockmsgType.XsError,
            ["XenstoreRingSize"] = (ulong)Xen.Abi.Io.XsWire.XenstoreRingSize,
            ["XenstorePayloadMax"] = (ulong)Xen.Abi.Io.XsWire.XenstorePayloadMax,
        });
        AssertLayout<Xen.Abi.Io.XsdSockmsg>(kernel, kernel.Type("Xen.Kernel.Store", "XenStore", "XsdSockmsg"));
        AssertPartialLayout<Xen.Abi.Io.XenstoreDomainInterface>(kernel, kernel.Type("Xen.Kernel.Store", "XsRing", "XenstoreDomainInterface"));
    }

    [Fact]
    public void Console_ring_equals_xen_abi()
    {
        using var kernel = new KernelMetadata(image.Assembly);
        var console = kernel.Type("Xen.Kernel.Console", "XenConsole");
        AssertPartialLayout<Xen.Abi.Io.XenconsInterface>(kernel, kernel.Type("Xen.Kernel.Console", "XenConsole", "XenconsInterface"));
        var outOffset = (uint)Marshal.OffsetOf<Xen.Abi.Io.XenconsInterface>(nameof(Xen.Abi.Io.XenconsInterface.Out));
        var afterOut = (uint)Marshal.OffsetOf<Xen.Abi.Io.XenconsInterface>(nameof(Xen.Abi.Io.XenconsInterface.InCons));
        Assert.Equal(afterOut - outOffset, kernel.UIntConstant(console, "OutSize"));
    }

    [Fact]
    public void Feature_names_equal_xen_abi()
    {
        // BitN is features.h's name of bit N without XENFEAT_, for every bit Xen.Abi names and no other.
        using var kernel = new KernelMetadata(image.Assembly);
        var names = kernel.Type("Xen.Kernel.Nexus", "FeatureNames");
        const string prefix = "XENFEAT_";
        var expected = Enumerable.Range(0, 32)
            .Select(bit => (Bit: bit, Name: Xen.Abi.Features.CNameOf(bit, prefix)))
            .Where(b => b.Name is not null)
            .ToDictionary(b => $"Bit{b.Bit}", b => b.Name![prefix.Length..]);
        Assert.Equal(expected.Keys.Order(), kernel.ConstantNames(names).Order());
        foreach (var (name, value) in expected)
            Assert.Equal(value, kernel.StringConstant(names, name));
    }

    [Fact]
    public void Shared_info_and_event_channel_layouts_equal_xen_abi()
    {
        using var kernel = new KernelMetadata(image.Assembly);
        var layout = kernel.Type("Xen.Kernel.Nexus", "SharedInfoLayout");
        Assert.Equal((uint)Marshal.OffsetOf<Xen.Abi.SharedInfo>(nameof(Xen.Abi.SharedInfo.EvtchnPending)), kernel.UIntConstant(layout, "EvtchnPendingOffset"));
        Assert.Equal((uint)Marshal.OffsetOf<Xen.Abi.SharedInfo>(nameof(Xen.Abi.SharedInfo.EvtchnMask)), kernel.UIntConstant(layout, "EvtchnMaskOffset"));
        var bits = kernel.UIntConstant(layout, "BitsPerWord");
        Assert.Equal((ulong)Xen.Abi.EventChannel.Evtchn2lNrChannels, (ulong)bits * bits);
        Assert.Equal((uint)Xen.Abi.EventChannel.Evtchn2lNrChannels, kernel.UIntConstant(kernel.Type("Xen.Kernel.Nexus", "EventChannels"), "MaxPorts"));
        AssertPartialLayout<Xen.Abi.VcpuInfo>(kernel, kernel.Type("Xen.Kernel.Nexus", "VcpuInfo"));
        AssertPartialLayout<Xen.Abi.VcpuTimeInfo>(kernel, kernel.Type("Xen.Kernel.Nexus", "VcpuTimeInfo"));
        AssertLayout<Xen.Abi.SchedPoll>(kernel, kernel.Type("Xen.Kernel.Nexus", "EventChannels", "SchedPoll"));
        AssertLayout<Xen.Abi.EvtchnSend>(kernel, kernel.Type("Xen.Kernel.Nexus", "EventChannels", "EvtchnPortArg"));
        AssertLayout<Xen.Abi.EvtchnUnmask>(kernel, kernel.Type("Xen.Kernel.Nexus", "EventChannels", "EvtchnPortArg"));
    }

    [Fact]
    public void Callback_vector_is_the_nexus_default()
    {
        using var kernel = new KernelMetadata(image.Assembly);
        Assert.Equal((uint)new Xen.Nexus.Init.NexusOptions().CallbackVector, kernel.UIntConstant(kernel.Type("Xen.Kernel.Nexus", "CallbackVector"), "Vector"));
    }

    [Fact]
    public void Grant_table_entry_size_equals_xen_abi()
    {
        using var kernel = new KernelMetadata(image.Assembly);
        Assert.Equal((uint)Marshal.SizeOf<Xen.Abi.GrantEntryV1>(), kernel.UIntConstant(kernel.Type("Xen.Kernel.Nexus", "GrantTable"), "EntrySize"));
    }

    [Fact]
    public void Partial_layout_check_fails_on_a_different_struct()
    {
        // The checker itself must be able to fail: vcpu_time_info's fields against vcpu_info's offsets.
        using var kernel = new KernelMetadata(image.Assembly);
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => AssertPartialLayout<Xen.Abi.VcpuInfo>(kernel, kernel.Type("Xen.Kernel.Nexus", "VcpuTimeInfo")));
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => AssertLayout<Xen.Abi.EvtchnSend>(kernel, kernel.Type("Xen.Kernel.Nexus", "EventChannels", "SchedPoll")));
    }

    [Fact]
    public void Hvm_start_info_equals_xen_abi()
    {
        using var kernel = new KernelMetadata(image.Assembly);
        var info = kernel.Type("Xen.Kernel.Pvh", "HvmStartInfo");
        Assert.Equal((uint)Xen.Abi.ArchX86.Hvm.StartInfo.XenHvmStartMagicValue, kernel.UIntConstant(info, "MagicValue"));
        AssertLayout<Xen.Abi.ArchX86.Hvm.HvmStartInfo>(kernel, info);
    }

    /// <summary>Each named constant of the kernel's type equals Xen.Abi's, and the type has no others.</summary>
    private static void AssertConstants(KernelMetadata kernel, TypeDefinition type, Dictionary<string, ulong> expected)
    {
        Assert.Equal(expected.Keys.Order(), kernel.ConstantNames(type).Order());
        foreach (var (name, value) in expected)
            Assert.True(value == kernel.UIntConstant(type, name), $"{name}: kernel {kernel.UIntConstant(type, name)}, Xen.Abi {value}");
    }

    /// <summary>
    /// Same size; each field the kernel declares (a subset: the ones it reads) is one of the generated struct's
    /// at the same offset.
    /// </summary>
    private static void AssertPartialLayout<T>(KernelMetadata kernel, TypeDefinition type) where T : struct
    {
        Assert.Equal(Marshal.SizeOf<T>(), kernel.Size(type));
        var generated = typeof(T).GetFields(BindingFlags.Public | BindingFlags.Instance)
            .ToDictionary(f => f.Name, f => (int)Marshal.OffsetOf<T>(f.Name));
        foreach (var (name, offset) in kernel.FieldOffsets(type))
        {
            Assert.True(generated.TryGetValue(name, out var expected), $"{typeof(T).Name} has no field {name}");
            Assert.True(expected == offset, $"{typeof(T).Name}.{name}: kernel offset {offset}, Xen.Abi {expected}");
        }
    }

    /// <summary>Same size, same field names at the same offsets.</summary>
    private static void AssertLayout<T>(KernelMetadata kernel, TypeDefinition type) where T : struct
    {
        Assert.Equal(Marshal.SizeOf<T>(), kernel.Size(type));
        var generated = typeof(T).GetFields(BindingFlags.Public | BindingFlags.Instance)
            .ToDictionary(f => f.Name, f => (int)Marshal.OffsetOf<T>(f.Name));
        Assert.Equal(generated.OrderBy(f => f.Key), kernel.FieldOffsets(type).OrderBy(f => f.Key));
    }
}

/// <summary>Constants and explicit layouts of the kernel's IL, read without loading it.</summary>
internal sealed class KernelMetadata : IDisposable
{
    private readonly PEReader _pe;
    private readonly MetadataReader _md;

    public KernelMetadata(string path)
    {
        _pe = new PEReader(File.OpenRead(path));
        _md = _pe.GetMetadataReader();
    }

    public void Dispose() => _pe.Dispose();

    public TypeDefinition Type(string ns, string name) =>
        _md.TypeDefinitions.Select(_md.GetTypeDefinition)
            .Single(t => _md.GetString(t.Namespace) == ns && _md.GetString(t.Name) == name);

    public TypeDefinition Type(string ns, string outer, string nested) =>
        Type(ns, outer).GetNestedTypes().Select(_md.GetTypeDefinition).Single(t => _md.GetString(t.Name) == nested);

    public uint UIntConstant(TypeDefinition type, string name)
    {
        var field = Fields(type).Single(f => _md.GetString(f.Name) == name);
        var constant = _md.GetConstant(field.GetDefaultValue());
        Assert.Equal(ConstantTypeCode.UInt32, constant.TypeCode);
        return _md.GetBlobReader(constant.Value).ReadUInt32();
    }

    public string StringConstant(TypeDefinition type, string name)
    {
        var field = Fields(type).Single(f => _md.GetString(f.Name) == name);
        var constant = _md.GetConstant(field.GetDefaultValue());
        Assert.Equal(ConstantTypeCode.String, constant.TypeCode);
        return _md.GetBlobReader(constant.Value).ReadConstant(ConstantTypeCode.String) as string ?? "";
    }

    public int Size(TypeDefinition type) => type.GetLayout().Size;

    public IEnumerable<string> ConstantNames(TypeDefinition type) =>
        Fields(type).Where(f => (f.Attributes & FieldAttributes.Literal) != 0).Select(f => _md.GetString(f.Name)).ToList();

    public Dictionary<string, int> FieldOffsets(TypeDefinition type) =>
        Fields(type).Where(f => (f.Attributes & FieldAttributes.Static) == 0).ToDictionary(f => _md.GetString(f.Name), f => f.GetOffset());

    private IEnumerable<FieldDefinition> Fields(TypeDefinition type) => type.GetFields().Select(_md.GetFieldDefinition);
}
