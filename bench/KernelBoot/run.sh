#!/bin/sh
# Boot time on real Xen (tools/realxen): the kernel image (kernel/Xen.Kernel) from `xl create` to its last attach
# line against Debian's Linux as a PVH guest from `xl create` to its init, the same disk and vif, alternated in one
# dom0, ROUNDS each. The emulator makes absolute figures meaningless; the ratio of the medians is the figure.
# Usage: bench/KernelBoot/run.sh [ROUNDS]   (root; writes bench/results/kernel-boot.md)
set -eu
rounds=${1:-3}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=$(mktemp -d /tmp/kernel-boot-bench.XXXXXX)
out="$repo/bench/results/kernel-boot.md"

dotnet build "$repo/tools/realxen" -c Release -v q -nologo >/dev/null
dotnet publish "$repo/kernel/Xen.Kernel" -c Release -r linux-x64 -o "$work/kernel" -v q -nologo >/dev/null

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
dotnet "$repo/tools/realxen/bin/Release/net10.0/realxen.dll" run --timeout 5400 --store c -- \
  sh "$here/dom0-bench.sh" "$work/kernel/xen-kernel.elf" "$rounds" > "$work/run.txt"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

times() { grep "^== $1 " "$work/run.txt" | awk '{ printf "%.1f\n", $4 - $3 }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
times kernel > "$work/kernel.txt"
times linux > "$work/linux.txt"
[ "$(wc -l < "$work/kernel.txt")" -eq "$rounds" ] && [ "$(wc -l < "$work/linux.txt")" -eq "$rounds" ] || {
  echo "expected $rounds timings of each; the run printed:" >&2; cat "$work/run.txt" >&2; exit 1; }
kernel=$(median < "$work/kernel.txt")
linux=$(median < "$work/linux.txt")
ratio=$(awk -v k="$kernel" -v l="$linux" 'BEGIN { printf "%.2f", k / l }')

tmp="$out.tmp"
{
  cat <<MD
# Kernel image boot time on real Xen against Linux as a PVH guest

\`bench/KernelBoot/run.sh $rounds\`, $(date -u +%Y-%m-%d): Xen 4.17 under QEMU's emulator (tools/realxen, Debian's C
xenstored), in one boot, alternated: the kernel image (\`kernel/Xen.Kernel\`, \`type = "pvh"\`) from \`xl create\` to
its last attach line (\`xen0: watching control/shutdown\`, polled in \`xl dmesg\` every 0.2 s) and Debian's Linux
(\`realxen guest --type pvh\`) from \`xl create\` to its init running a command (a marker on its console, as
\`realxen guest\` relays xenconsoled's log), both with a 16 MiB disk on Linux's blkback and a vif on netback; dom0's
clock. Each figure includes its polling delay. Load average before $load_before, after $load_after (2 cores,
shared): the emulator and the load make absolute figures meaningless; the ratio is the figure.

| round | kernel image (s) | Linux PVH to init (s) |
|---|---|---|
MD
  paste -d' ' "$work/kernel.txt" "$work/linux.txt" | awk '{ printf "| %d | %s | %s |\n", NR, $1, $2 }'
  echo "| median | $kernel | $linux |"
  echo
  echo "Kernel image / Linux: **${ratio}x** the time."
} > "$tmp"
mv "$tmp" "$out"
cat "$out"
rm -rf "$work"
