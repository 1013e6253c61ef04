#!/bin/bash
# Our frontends against the kernel's on the same real backends, in one real-Xen boot (tools/realxen): in dom0,
# `xen-front-check bench-dom0` boots a guest whose user space runs Xbf and Xnf, then one whose kernel's xen-blkfront
# and xen-netfront serve the same disks (xvda on Linux's xen-blkback; with QDISK=1, xvdb on QEMU's qdisk) and vif (xen-netback),
# alternating for ROUNDS rounds. Each guest runs the same bounded job on each disk (8 workers: 64 KiB sequential
# writes then reads over MEGABYTES, then 4 KiB random reads; kernel devices opened O_DIRECT) and iperf3 both ways
# with dom0. Writes bench/results/frontends.md: medians per frontend and the ratio ours/kernel's on each backend.
# Absolute figures under the emulator mean nothing; the ratios of one run do. Run as root.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-1}; MEGABYTES=${MEGABYTES:-32}; RANDOM_READS=${RANDOM_READS:-2000}; IPERF_SECONDS=${IPERF_SECONDS:-10}; QDISK=${QDISK:-0}
OUT=bench/results/frontends.md
PUB=$(mktemp -d); LOG=$(mktemp)
trap 'rm -rf "$PUB" "$LOG"' EXIT
dotnet build tools/realxen -c Release -nologo -v quiet >/dev/null
dotnet publish tests/Xen.Drivers.Frontends.Check -c Release -r linux-x64 -o "$PUB" -nologo -v quiet >/dev/null
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
dotnet tools/realxen/bin/Release/net10.0/realxen.dll run --timeout 7200 -- \
  "$PUB/xen-front-check bench-dom0 --modules \$REALXEN_MODULES --rounds $ROUNDS --megabytes $MEGABYTES --random-reads $RANDOM_READS --iperf-seconds $IPERF_SECONDS$([ "$QDISK" = 1 ] && echo ' --qdisk')" \
  2>&1 | tee "$LOG" | grep -E 'bench:|FAIL|passed' || true
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
grep -q 'bench: disk' "$LOG" || { echo "no bench lines in the run's output" >&2; exit 1; }
tmp=$(mktemp "$OUT.XXXX")
python3 - "$LOG" "$load_before" "$load_after" "$ROUNDS" "$MEGABYTES" "$RANDOM_READS" "$IPERF_SECONDS" > "$tmp" <<'PY'
import re, sys, statistics
log, before, after, rounds, mb, reads, secs = sys.argv[1:]
rows = {}
for line in open(log, errors="replace"):
    m = re.search(r"bench: (disk|net) (.*)$", line.strip())
    if not m: continue
    kv = dict(p.split("=", 1) for p in m.group(2).split())
    key = (m.group(1), kv.pop("backend"), kv.pop("frontend"))
    for k, v in kv.items(): rows.setdefault(key, {}).setdefault(k, []).append(float(v))
med = lambda key, k: statistics.median(rows[key][k]) if key in rows and k in rows[key] else None
fmt = lambda v: "—" if v is None else f"{v:.2f}"
ratio = lambda a, b: "—" if a is None or b is None or b == 0 else f"{a / b:.2f}x"
print("# Our frontends against the kernel's on real Xen\n")
print(f"`bench/Frontends/run.sh`: one `realxen run` boot (Xen 4.17 under QEMU's emulator, PV dom0 and guests), {rounds} round(s);")
print(f"each disk: 8 workers, 64 KiB writes then reads over {mb} MB, then {reads} 4 KiB random reads; iperf3 {secs} s each way.")
print(f"Load average before {before}, after {after}. Medians; the ratio (ours / kernel's, same backend, same boot) is the figure.\n")
print("| backend | measure | xbf (ours) | xen-blkfront | ratio |")
print("|---|---|---|---|---|")
for backend in [b for b in ("xen-blkback", "qdisk") if ("disk", b, "xbf") in rows or ("disk", b, "xen-blkfront") in rows]:
    for k, label in (("write_mbps", "write MB/s"), ("read_mbps", "read MB/s"), ("randread_iops", "4 KiB random reads/s")):
        a, b = med(("disk", backend, "xbf"), k), med(("disk", backend, "xen-blkfront"), k)
        print(f"| {backend} | {label} | {fmt(a)} | {fmt(b)} | {ratio(a, b)} |")
print("\n| backend | measure | xnf (ours, TAP) | xen-netfront | ratio |")
print("|---|---|---|---|---|")
for k, label in (("send_mbps", "guest → dom0 Mbit/s"), ("receive_mbps", "dom0 → guest Mbit/s")):
    a, b = med(("net", "xen-netback", "xnf"), k), med(("net", "xen-netback", "xen-netfront"), k)
    print(f"| xen-netback | {label} | {fmt(a)} | {fmt(b)} | {ratio(a, b)} |")
PY
mv "$tmp" "$OUT"
cat "$OUT"
