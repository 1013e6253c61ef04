// The System module of the kernel: the types the C# compiler and ILC need, and no more. There is no GC and no
// allocator, so nothing here allocates; objects that exist are the ones ILC lays out at compile time (string
// literals). Layouts of Object and String are a contract with ILC.
namespace System
{
    public class Object
    {
#pragma warning disable CS0169, CS0649
        // The MethodTable pointer every object starts with.
        private IntPtr _methodTable;
#pragma warning restore CS0169, CS0649
    }

    public struct Void { }

    // Primitive layouts are built into the compilers: no fields.
    public struct Boolean { }
    public struct Char { }
    public struct SByte { }
    public struct Byte { }
    public struct Int16 { }
    public struct UInt16 { }
    public struct Int32 { }
    public struct UInt32 { }
    public struct Int64 { }
    public struct UInt64 { }
    public struct IntPtr { }
    public struct UIntPtr { }
    public struct Single { }
    public struct Double { }

    public abstract class ValueType { }
    public abstract class Enum : ValueType { }
    public struct Nullable<T> where T : struct { }

    public abstract class Array { }
    public abstract class Delegate { }
    public abstract class MulticastDelegate : Delegate { }

    public struct RuntimeTypeHandle { }
    public struct RuntimeMethodHandle { }
    public struct RuntimeFieldHandle { }

    public abstract class Attribute { }

    public enum AttributeTargets
    {
        Assembly = 0x1, Module = 0x2, Class = 0x4, Struct = 0x8, Enum = 0x10, Constructor = 0x20, Method = 0x40,
        Property = 0x80, Field = 0x100, Event = 0x200, Interface = 0x400, Parameter = 0x800, Delegate = 0x1000,
        ReturnValue = 0x2000, GenericParameter = 0x4000, All = 0x7fff,
    }

    [AttributeUsage(AttributeTargets.Class, Inherited = true)]
    public sealed class AttributeUsageAttribute : Attribute
    {
        public AttributeUsageAttribute(AttributeTargets validOn) { }
        public bool AllowMultiple { get; set; }
        public bool Inherited { get; set; }
    }

    [AttributeUsage(AttributeTargets.All)]
    public sealed class FlagsAttribute : Attribute { }

    // Kept by ILC's array support even when no array is made.
    internal class Array<T> : Array { }
}
