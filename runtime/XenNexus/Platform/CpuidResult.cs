namespace Xen.Nexus.Platform;

/// <summary>The four registers CPUID returns.</summary>
public readonly record struct CpuidResult(uint Eax, uint Ebx, uint Ecx, uint Edx);
