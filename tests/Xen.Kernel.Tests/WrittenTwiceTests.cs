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
        Assert.Equal((uint)Xen.Abi.Xen._HypervisorXenVersion, kernel.UIntConstant(numbers, "HypervisorXenVersion"));
        Assert.Equal((uint)Xen.Abi.Xen._HypervisorSchedOp, kernel.UIntConstant(numbers, "HypervisorSchedOp"));
        Assert.Equal((uint)Xen.Abi.Version.XenverVersion, kernel.UIntConstant(numbers, "XenverVersion"));
        Assert.Equal((uint)Xen.Abi.Version.XenverGetFeatures, kernel.UIntConstant(numbers, "XenverGetFeatures"));
        Assert.Equal((uint)Xen.Abi.Sched.SchedopShutdown, kernel.UIntConstant(numbers, "SchedopShutdown"));
        Assert.Equal((uint)Xen.Abi.Sched.ShutdownPoweroff, kernel.UIntConstant(numbers, "ShutdownPoweroff"));
    }

    [Fact]
    public void Hypercall_argument_layouts_equal_xen_abi()
    {
        using var kernel = new KernelMetadata(image.Assembly);
        AssertLayout<Xen.Abi.XenFeatureInfo>(kernel, kernel.Type("Xen.Kernel.Nexus", "Features", "XenFeatureInfo"));
        AssertLayout<Xen.Abi.SchedShutdown>(kernel, kernel.Type("Xen.Kernel.Nexus", "Shutdown", "SchedShutdown"));
    }

    [Fact]
    public void Hvm_start_info_equals_xen_abi()
    {
        using var kernel = new KernelMetadata(image.Assembly);
        var info = kernel.Type("Xen.Kernel.Pvh", "HvmStartInfo");
        Assert.Equal((uint)Xen.Abi.ArchX86.Hvm.StartInfo.XenHvmStartMagicValue, kernel.UIntConstant(info, "MagicValue"));
        AssertLayout<Xen.Abi.ArchX86.Hvm.HvmStartInfo>(kernel, info);
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

    public int Size(TypeDefinition type) => type.GetLayout().Size;

    public Dictionary<string, int> FieldOffsets(TypeDefinition type) =>
        Fields(type).Where(f => (f.Attributes & FieldAttributes.Static) == 0).ToDictionary(f => _md.GetString(f.Name), f => f.GetOffset());

    private IEnumerable<FieldDefinition> Fields(TypeDefinition type) => type.GetFields().Select(_md.GetFieldDefinition);
}
