#!/bin/sh
# A guest's XenStore reads and writes per second over its store ring on real Xen (tools/realxen), with Debian's
# C xenstored and with ours (tools/xenstored, NativeAOT, --xen) as dom0's store: two boots in one run, the same guest
# and the same Xen test-xenstore requests. The emulator makes absolute figures meaningless; the ratio is the figure.
# Usage: bench/XenStoreOnRealXen/run.sh [ITERATIONS [ROUNDS]]   (root; writes bench/results/xenstore-realxen.md)
set -eu
iterations=${1:-2000}
rounds=${2:-3}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=$(mktemp -d /tmp/xenstore-realxen-bench.XXXXXX)
out="$repo/bench/results/xenstore-realxen.md"

dotnet build "$repo/tools/realxen" -c Release -v q -nologo >/dev/null
dotnet publish "$repo/tools/xenstored" -c Release -r linux-x64 -o "$work/xenstored" -v q -nologo >/dev/null
realxen() { dotnet "$repo/tools/realxen/bin/Release/net10.0/realxen.dll" "$@"; }

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
realxen run --timeout 5400 --store c -- sh "$here/dom0-bench.sh" "$iterations" "$rounds" > "$work/c.txt"
realxen run --timeout 5400 --store ours --xenstored "$work/xenstored/xenstored" -- sh "$here/dom0-bench.sh" "$iterations" "$rounds" > "$work/ours.txt"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# test-xenstore prints "read 1    : avg: N ns (MIN ns .. MAX ns)" per run: the median of the rounds' averages.
median_ns() { grep -E "^$2 +: avg:" "$1" | sed -E 's/.*avg: ([0-9]+) ns.*/\1/' | sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; print v[int((NR + 1) / 2)] }'; }
for store in c ours; do
  for op in read write; do
    ns=$(median_ns "$work/$store.txt" "$op 1") || { echo "no '$op 1' results in $work/$store.txt" >&2; exit 1; }
    eval "${store}_${op}=$ns"
  done
done
per_second() { awk -v ns="$1" 'BEGIN { printf "%.0f", 1e9 / ns }'; }
ratio() { awk -v c="$1" -v ours="$2" 'BEGIN { printf "%.2f", c / ours }'; }
read_ratio=$(ratio "$c_read" "$ours_read")
write_ratio=$(ratio "$c_write" "$ours_write")
verdict() { awk -v r="$1" 'BEGIN { print (r >= 1.0 ? "met" : "not met") }'; }

tmp="$out.tmp"
cat > "$tmp" <<MD
# A guest's XenStore requests on real Xen: our xenstored against C xenstored

\`bench/XenStoreOnRealXen/run.sh $iterations $rounds\`, $(date -u +%Y-%m-%d): Xen 4.17 under QEMU's emulator (tools/realxen), a
PV Linux guest running Xen's \`test-xenstore -i $iterations\` over its store ring (Linux's xenbus through
\`/dev/xen/xenbus\`), $rounds rounds of each test; the median of the rounds' averages. Dom0's store was Debian's C
xenstored 4.17 in one boot and ours (\`tools/xenstored --xen\`, NativeAOT) in the other. Load average before
$load_before, after $load_after (2 cores, shared): the emulator and the load make absolute figures meaningless; the
ratio is the figure.

| request | C xenstored | our xenstored | ours / C |
|---|---|---|---|
| read (1 byte) | $(per_second "$c_read")/s ($c_read ns) | $(per_second "$ours_read")/s ($ours_read ns) | ${read_ratio}x |
| write (1 byte) | $(per_second "$c_write")/s ($c_write ns) | $(per_second "$ours_write")/s ($ours_write ns) | ${write_ratio}x |

Goal: at least 1.0x C for reads and writes: reads $(verdict "$read_ratio"), writes $(verdict "$write_ratio").
MD
mv "$tmp" "$out"
cat "$out"
rm -rf "$work"
