using System.Diagnostics;
using System.Runtime.InteropServices;
using Xen.Abi;

namespace XenGen.Bench.Events;

/// <summary>
/// c/evtchn_2l.c built with <c>clang -O2</c> as a shared library in this run, and its entry points as unmanaged
/// function pointers (no GC transition: every call is short and never calls back into .NET).
/// </summary>
public sealed unsafe class NativeScan : IDisposable
{
    /// <summary>The interface version the Xen headers are compiled with (as the interop peers are).</summary>
    public const string InterfaceVersion = "0x00040e00";

    private readonly nint library;

    public NativeScan(string source, string includeDir, string outputDir)
    {
        Directory.CreateDirectory(outputDir);
        LibraryPath = Path.Combine(outputDir, "libevtchn_2l.so");
        var psi = new ProcessStartInfo("clang") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-O2", "-Wall", "-Wextra", "-Werror", "-shared", "-fPIC", "-D__XEN_INTERFACE_VERSION__=" + InterfaceVersion, "-I", includeDir, source, "-o", LibraryPath })
            psi.ArgumentList.Add(a);
        using (var clang = Process.Start(psi) ?? throw new InvalidOperationException("cannot start clang"))
        {
            var output = clang.StandardError.ReadToEnd() + clang.StandardOutput.ReadToEnd();
            clang.WaitForExit();
            if (clang.ExitCode != 0)
                throw new InvalidOperationException("clang failed on evtchn_2l.c:\n" + output);
        }
        library = NativeLibrary.Load(LibraryPath);
        Create = (delegate* unmanaged[SuppressGCTransition]<SharedInfo*, VcpuInfo*, ulong*, long*, nint>)Export("evtchn_2l_create");
        Destroy = (delegate* unmanaged[SuppressGCTransition]<nint, void>)Export("evtchn_2l_destroy");
        Bind = (delegate* unmanaged[SuppressGCTransition]<nint, uint, int>)Export("evtchn_2l_bind");
        SetMode = (delegate* unmanaged[SuppressGCTransition]<nint, int, int, void>)Export("evtchn_2l_set_mode");
        Upcall = (delegate* unmanaged[SuppressGCTransition]<nint, void>)Export("evtchn_2l_upcall");
        GrantCreate = (delegate* unmanaged[SuppressGCTransition]<GrantEntryV1**, uint, uint, nint>)Export("gnt_create");
        GrantDestroy = (delegate* unmanaged[SuppressGCTransition]<nint, void>)Export("gnt_destroy");
        GrantLoop = (delegate* unmanaged[SuppressGCTransition]<nint, ushort, uint, ulong, ulong>)Export("gnt_loop");
    }

    public string LibraryPath { get; }

    public delegate* unmanaged[SuppressGCTransition]<SharedInfo*, VcpuInfo*, ulong*, long*, nint> Create { get; }
    public delegate* unmanaged[SuppressGCTransition]<nint, void> Destroy { get; }
    public delegate* unmanaged[SuppressGCTransition]<nint, uint, int> Bind { get; }
    public delegate* unmanaged[SuppressGCTransition]<nint, int, int, void> SetMode { get; }
    public delegate* unmanaged[SuppressGCTransition]<nint, void> Upcall { get; }
    public delegate* unmanaged[SuppressGCTransition]<GrantEntryV1**, uint, uint, nint> GrantCreate { get; }
    public delegate* unmanaged[SuppressGCTransition]<nint, void> GrantDestroy { get; }
    public delegate* unmanaged[SuppressGCTransition]<nint, ushort, uint, ulong, ulong> GrantLoop { get; }

    private nint Export(string name) => NativeLibrary.GetExport(library, name);

    public void Dispose() => NativeLibrary.Free(library);
}
