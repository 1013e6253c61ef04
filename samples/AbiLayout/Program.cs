using System.Reflection;
using System.Runtime.CompilerServices;
using Xen.Abi;
using Xen.Abi.Io;

// Which build of Xen.Abi this process runs with, and what that build says of a few records: the same table as
// `sizeof` in C for the model's target.
var abi = typeof(BlkifRequest).Assembly;
string Metadata(string key) => abi.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value ?? "?";

Console.WriteLine($"Xen.Abi {Metadata("XenAbiRelease")} {Metadata("XenAbiArch")}");
Console.WriteLine("| C type | bytes |");
Console.WriteLine("|---|---:|");
Row("struct blkif_request", Unsafe.SizeOf<BlkifRequest>());
Row("struct blkif_response", Unsafe.SizeOf<BlkifResponse>());
Row("struct shared_info", Unsafe.SizeOf<SharedInfo>());
Row("struct vcpu_info", Unsafe.SizeOf<VcpuInfo>());
Row("struct xenstore_domain_interface", Unsafe.SizeOf<XenstoreDomainInterface>());
// Constants are compiled into this assembly, so these two show which build it was compiled against.
Console.WriteLine($"XEN_IO_PROTO_ABI_NATIVE = {Protocols.XenIoProtoAbiNative}");
Console.WriteLine($"EVTCHN_2L_NR_CHANNELS = {EventChannel.Evtchn2lNrChannels}");

static void Row(string cType, int bytes) => Console.WriteLine($"| {cType} | {bytes} |");
