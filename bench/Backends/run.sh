#!/bin/bash
# Our backends beside Linux's and QEMU's on real Xen (tools/realxen), all in one boot: the same guest fio job against
# our Blkback (xenbackendd), Linux's blkback (a loop device) and QEMU's qdisk; iperf3 between a guest and dom0
# through our Netback and Linux's netback. The figures are ratios within the run (absolute speeds under the
# emulator mean nothing). Writes bench/results/backends.md. Run as root after building tools/realxen (Release);
# qdisk needs qemu-system-xen.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-1}
OUT=bench/results/backends.md
REALXEN=tools/realxen/bin/Release/net10.0/realxen.dll
[ -f $REALXEN ] || { echo "build realxen first: dotnet build tools/realxen -c Release" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet publish tools/xenbackendd -c Release -r linux-x64 -o "$work/bd" -nologo -v quiet
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
dotnet $REALXEN run --timeout $((ROUNDS * 5400)) -- sh "$PWD/bench/Backends/dom0.sh" "$work/bd/xenbackendd" "$PWD/bench/Backends" "$ROUNDS" | tee "$work/log"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
grep -q '^BENCH done' "$work/log" || { echo "the bench did not finish" >&2; exit 1; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
get() { awk -v b=$1 -v m=$2 '$1 == "BENCH" && $3 == b && $4 == m { print $5 }' "$work/log" | median; }
ratio() { awk -v a=$1 -v b=$2 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2fx", a / b }'; }
ours=$(get ours fio); kernel=$(get kernel fio); qdisk=$(get qdisk fio)
tx_ours=$(get ours tx); tx_kernel=$(get kernel tx); rx_ours=$(get ours rx); rx_kernel=$(get kernel rx)
tmp=$(mktemp "$OUT.XXXX")
{
  echo "# Our backends beside Linux's and QEMU's on real Xen"
  echo
  echo "\`bench/Backends/run.sh\`, $(date -u +%Y-%m-%d), $ROUNDS round(s) (medians), Xen 4.17 under QEMU's emulator (TCG) with a"
  echo "Linux 6.1 PV dom0 and PV guests; machine load $load_before before, $load_after after. Absolute figures under the"
  echo "emulator mean nothing; the ratios within the run are the measure."
  echo
  echo "## Disk: one guest fio job (4 KiB random 50/50 read/write, depth 16, libaio, direct, on the raw xvda)"
  echo
  echo "| backend | IOPS | ours / this |"
  echo "|---|---:|---:|"
  echo "| our Blkback (xenbackendd, standalone disk) | $ours | 1.00x |"
  echo "| Linux xen-blkback (loop device) | $kernel | $(ratio $ours $kernel) |"
  echo "| QEMU qdisk | $qdisk | $(ratio $ours $qdisk) |"
  echo
  echo "Goal: our Blkback at least 1.0x qdisk: $(awk -v a=$ours -v b=$qdisk 'BEGIN { if (a == "-" || b == "-") print "not measured"; else if (a >= b) print "met"; else print "not met" }')."
  echo
  echo "## Network: iperf3 TCP between the guest and dom0 (receiver's Mbit/s)"
  echo
  echo "| direction | our Netback | Linux xen-netback | ours / Linux's |"
  echo "|---|---:|---:|---:|"
  echo "| guest to dom0 | $tx_ours | $tx_kernel | $(ratio $tx_ours $tx_kernel) |"
  echo "| dom0 to guest | $rx_ours | $rx_kernel | $(ratio $rx_ours $rx_kernel) |"
  echo
  echo "Failures in the run (a backend whose guest reported no figure):"
  echo
  grep '^FAIL' "$work/log" | sed 's/^/    /' || echo "    none"
} > "$tmp"
mv "$tmp" "$OUT"
cat "$OUT"
