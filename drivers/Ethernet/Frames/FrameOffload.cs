namespace Xen.Drivers.Ethernet.Frames;

/// <summary>
/// What travels with a frame besides its bytes: its L4 checksum left blank for the receiver to fill (netif's
/// <c>csum_blank</c>, virtio's <c>NEEDS_CSUM</c>), already checked (<c>data_validated</c>, <c>DATA_VALID</c>), and
/// the segmentation it still needs.
/// </summary>
/// <param name="ChecksumBlank">The L4 checksum field holds only the pseudo-header sum.</param>
/// <param name="DataValidated">The checksum was verified (or the data never left this host).</param>
/// <param name="Gso">Segmentation still to do.</param>
/// <param name="GsoSize">The segment payload size (the MSS) when <see cref="Gso"/> is not <see cref="GsoKind.None"/>.</param>
public readonly record struct FrameOffload(bool ChecksumBlank, bool DataValidated, GsoKind Gso, ushort GsoSize);
