namespace Xen.GuestAgent.Collectors;

/// <summary>Memory in KiB, as <c>/proc/meminfo</c> counts it.</summary>
/// <param name="TotalKib"><c>MemTotal</c>.</param>
/// <param name="FreeKib"><c>MemAvailable</c>, or <c>MemFree</c> on kernels without it.</param>
public readonly record struct MemoryInfo(ulong TotalKib, ulong FreeKib);
