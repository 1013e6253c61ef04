namespace Xen.Nexus.Platform;

/// <summary>The width of a port I/O access (IN/OUT with AL, AX or EAX).</summary>
public enum PortWidth
{
    /// <summary>8 bits.</summary>
    Byte = 1,
    /// <summary>16 bits.</summary>
    Word = 2,
    /// <summary>32 bits.</summary>
    Dword = 4,
}
