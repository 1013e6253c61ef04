#!/bin/sh
# Boot time on real Xen (tools/realxen): the kernel image (kernel/Xen.Kernel) from `xl create` to its last attach
# line against Debian's Linux as a guest of TYPE (pv by default) from `xl create` to its init, the same vif, alternated
# in one dom0, ROUNDS each. The emulator makes absolute figures meaningless; the ratio of the medians is the figure.
# Linux is a PV guest by default: Debian's 6.1 kernel as a PVH guest triple-faults early in its boot under this
# emulator (Xen: "d2v0 Triple fault"), so a pvh baseline gives no timing here.
# Usage: bench/KernelBoot/run.sh [ROUNDS] [pv|pvh]   (root; writes bench/results/kernel-boot.md through report.sh)
set -eu
rounds=${1:-3}
linux_type=${2:-pv}
case $linux_type in pv|pvh) ;; *) echo "run.sh: Linux guest type '$linux_type' is neither pv nor pvh" >&2; exit 2;; esac
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=$(mktemp -d /tmp/kernel-boot-bench.XXXXXX)
out="$repo/bench/results/kernel-boot.md"

dotnet build "$repo/tools/realxen" -c Release -v q -nologo >/dev/null
dotnet publish "$repo/kernel/Xen.Kernel" -c Release -r linux-x64 -o "$work/kernel" -v q -nologo >/dev/null

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
dotnet "$repo/tools/realxen/bin/Release/net10.0/realxen.dll" run --timeout 5400 --store c -- \
  sh "$here/dom0-bench.sh" "$work/kernel/xen-kernel.elf" "$rounds" "$linux_type" > "$work/run.txt"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

sh "$here/report.sh" "$work/run.txt" "$rounds" "$load_before" "$load_after" "$out" "$linux_type"
rm -rf "$work"
