namespace System.Runtime.CompilerServices
{
    public static class RuntimeHelpers
    {
        public static unsafe int OffsetToStringData => sizeof(IntPtr) + sizeof(int);
    }

    public enum MethodImplOptions
    {
        Unmanaged = 0x4, NoInlining = 0x8, ForwardRef = 0x10, Synchronized = 0x20, NoOptimization = 0x40,
        PreserveSig = 0x80, AggressiveInlining = 0x100, AggressiveOptimization = 0x200, InternalCall = 0x1000,
    }

    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor)]
    public sealed class MethodImplAttribute : Attribute
    {
        public MethodImplAttribute(MethodImplOptions options) { }
    }

    [AttributeUsage(AttributeTargets.Property)]
    public sealed class IndexerNameAttribute : Attribute
    {
        public IndexerNameAttribute(string indexerName) { }
    }

    public static class IsVolatile { }

    public static class RuntimeFeature
    {
        public const string DefaultImplementationsOfInterfaces = nameof(DefaultImplementationsOfInterfaces);
        public const string UnmanagedSignatureCallingConvention = nameof(UnmanagedSignatureCallingConvention);
    }
}

namespace System.Runtime
{
    /// <summary>Gives a method a symbol name of its own (the entry the stub calls).</summary>
    [AttributeUsage(AttributeTargets.Method)]
    internal sealed class RuntimeExportAttribute : Attribute
    {
        public RuntimeExportAttribute(string entry) { }
    }

    /// <summary>Binds an extern method to a symbol of the image (the stub's helpers), called directly.</summary>
    [AttributeUsage(AttributeTargets.Method)]
    internal sealed class RuntimeImportAttribute : Attribute
    {
        public RuntimeImportAttribute(string entry) { }
        public RuntimeImportAttribute(string dllName, string entry) { }
    }
}

namespace System.Runtime.InteropServices
{
    public enum LayoutKind { Sequential = 0, Explicit = 2, Auto = 3 }

    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct)]
    public sealed class StructLayoutAttribute : Attribute
    {
        public StructLayoutAttribute(LayoutKind layoutKind) { }
        public int Size;
        public int Pack;
    }

    [AttributeUsage(AttributeTargets.Field)]
    public sealed class FieldOffsetAttribute : Attribute
    {
        public FieldOffsetAttribute(int offset) { }
    }
}

namespace Internal.Runtime.CompilerHelpers
{
    using System;
    using System.Runtime;

    // ILC looks for this class; the helpers below are what generated code may call around transitions and on a
    // fatal failure. Without a GC there is nothing to do on a transition.
    internal static class StartupCodeHelpers
    {
        [RuntimeExport("RhpReversePInvoke")]
        private static void RhpReversePInvoke(IntPtr frame) { }

        [RuntimeExport("RhpReversePInvokeReturn")]
        private static void RhpReversePInvokeReturn(IntPtr frame) { }

        [RuntimeExport("RhpPInvoke")]
        private static void RhpPInvoke(IntPtr frame) { }

        [RuntimeExport("RhpPInvokeReturn")]
        private static void RhpPInvokeReturn(IntPtr frame) { }

        [RuntimeExport("RhpFallbackFailFast")]
        private static void RhpFallbackFailFast() => Xen.Kernel.Machine.Cpu.Halt();
    }

    // Where ILC sends the checks it compiles in (range, overflow, null, division). There are no exceptions here:
    // the kernel names the failure on the debug port and halts.
    internal static class ThrowHelpers
    {
        internal static void Fail(string what)
        {
            Xen.Kernel.Machine.Log.PortOnly();
            Xen.Kernel.Machine.Log.Write("xen-kernel: fatal: ");
            Xen.Kernel.Machine.Log.WriteLine(what);
            Xen.Kernel.Machine.Cpu.Halt();
        }

        internal static void ThrowOverflowException() => Fail("overflow");
        internal static void ThrowIndexOutOfRangeException() => Fail("index out of range");
        internal static void ThrowNullReferenceException() => Fail("null reference");
        internal static void ThrowDivideByZeroException() => Fail("divide by zero");
        internal static void ThrowArrayTypeMismatchException() => Fail("array type mismatch");
        internal static void ThrowPlatformNotSupportedException() => Fail("platform not supported");
        internal static void ThrowInvalidProgramException() => Fail("invalid program");
        internal static void ThrowTypeLoadException() => Fail("type load");
        internal static void ThrowArgumentException() => Fail("argument");
        internal static void ThrowArgumentOutOfRangeException() => Fail("argument out of range");
        internal static void ThrowNotImplementedException() => Fail("not implemented");
        internal static void ThrowFeatureBodyRemoved() => Fail("feature removed");
    }
}

namespace System.Reflection
{
    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Interface)]
    public sealed class DefaultMemberAttribute : Attribute
    {
        public DefaultMemberAttribute(string memberName) { }
    }
}

namespace System.Runtime.InteropServices
{
    // Named by ILC's interface dispatch support; nothing implements it here.
    public unsafe interface IDynamicInterfaceCastable
    {
        internal static IntPtr GetDynamicInterfaceImplementation(object instance, void* interfaceType)
        {
            Internal.Runtime.CompilerHelpers.ThrowHelpers.Fail("dynamic interface cast");
            return default;
        }
    }
}
