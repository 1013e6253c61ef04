using System.Reflection;
using Xen.Abi.Model;
using XenGen.RingGenerator;
using Xunit;

namespace XenGen.Tests;

/// <summary>
/// Every kind of the specs has a template that renders it, and a kind without one is reported (XENGEN012) instead of
/// being left out of the output; every kind the model can hold maps onto one the generator knows.
/// </summary>
public class TemplateKindTests
{
    [Fact]
    public void EveryMemberKindIsRendered()
    {
        foreach (var kind in Enum.GetValues<MemberKind>())
        {
            var unhandled = new List<string>();
            string text = Emitter.RenderType(Record(kind), "public", unhandled);
            Assert.Empty(unhandled);
            Assert.Contains("Probe", text);
        }
    }

    [Fact]
    public void AMemberKindTheRecordTemplateDoesNotHandleIsReported()
    {
        var unhandled = new List<string>();
        Emitter.RenderType(Record((MemberKind)99), "public", unhandled);
        var message = Assert.Single(unhandled);
        Assert.Contains("member Holder.Probe has kind 99", message);
        Assert.Contains("record.scriban", message);
    }

    [Fact]
    public void EveryRingKindHasATemplate() => Assert.All(Enum.GetValues<RingKind>(), kind => Assert.NotNull(Emitter.RingTemplate(kind)));

    [Fact]
    public void ARingKindWithoutATemplateIsReported()
    {
        var ring = new RingSpec((RingKind)7, "Probe", EquatableArray<string>.Empty);
        var file = new FileSpec(AbiVisibility.Public, "probe.g.cs", "probe.h", "Gen", "test/x86_64.abi.json", EquatableArray<TypeSpec>.Empty,
            EquatableArray<EnumSpec>.Empty, null, EquatableArray<TableSpec>.Empty, new[] { ring }.ToEquatable());
        var message = Assert.Single(Emitter.Render(file).Unhandled);
        Assert.Contains("ring Probe has kind 7", message);
        Assert.Contains("probe.g.cs", message);
    }

    [Fact]
    public void EveryModelTypeKindIsKnown()
    {
        foreach (string kind in Consts(typeof(TypeKinds)))
        {
            Assert.NotEqual(CTypeKind.Unknown, ModelKinds.Of(new TypeRef { Kind = kind }));
        }
        Assert.Equal(CTypeKind.Unknown, ModelKinds.Of(new TypeRef { Kind = "quaternion" }));
    }

    [Fact]
    public void EveryModelRingAndConstantKindIsKnown()
    {
        foreach (string kind in Consts(typeof(Xen.Abi.Model.RingKinds))) Assert.NotNull(ModelKinds.Of(new RingDecl { Kind = kind }));
        foreach (string kind in Consts(typeof(ConstantKinds))) Assert.NotEqual(ConstantKind.Unknown, ModelKinds.Constant(kind));
        Assert.Null(ModelKinds.Of(new RingDecl { Kind = "spiral" }));
        Assert.Equal(ConstantKind.Unknown, ModelKinds.Constant("float"));
        Assert.Throws<ModelException>(() => ModelKinds.Require(new RecordDecl { Id = "x", Kind = "class" }));
    }

    private static IEnumerable<string> Consts(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!);

    private static TypeSpec Record(MemberKind kind)
    {
        var member = new MemberSpec(kind, "Probe", 0, "uint", 4, EquatableArray<string>.Empty,
            Storage: "_bits0_32", StorageType: "uint", Width: 1, Mask: "0x1UL", ClearMask: "0xFFFFFFFFFFFFFFFEUL",
            BytesName: "ProbeBytes", StringGetter: "GetProbeString", StringSetter: "SetProbeString");
        return new TypeSpec("Holder", "struct holder", 16, 4, EquatableArray<string>.Empty, new[] { member }.ToEquatable(),
            EquatableArray<BufferSpec>.Empty, EquatableArray<TypeSpec>.Empty);
    }
}
