#!/bin/sh
# Writes bench/results/kernel-boot.md from the output of dom0-bench.sh (run.sh calls it; it also takes a kept
# output): the timed rounds, the rounds that gave no timing with dom0's reason, the medians and their ratio.
# Usage: bench/KernelBoot/report.sh RUN_OUTPUT ROUNDS "LOAD_BEFORE" "LOAD_AFTER" OUT [pv|pvh]
set -eu
run=$1 rounds=$2 load_before=$3 load_after=$4 out=$5 linux_type=${6:-pv}
linux_label=$(echo "$linux_type" | tr a-z A-Z)
[ -r "$run" ] || { echo "report.sh: no dom0 output $run" >&2; exit 2; }
timings() { grep "^== $1 " "$run" | awk '{ printf "%.1f\n", $4 - $3 }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
kernel_times=$(timings kernel)
linux_times=$(timings linux)
[ -n "$kernel_times" ] && [ -n "$linux_times" ] || { echo "report.sh: $run has no timing of the kernel or of Linux:" >&2; cat "$run" >&2; exit 1; }
kernel=$(echo "$kernel_times" | median)
linux=$(echo "$linux_times" | median)
ratio=$(awk -v k="$kernel" -v l="$linux" 'BEGIN { printf "%.2f", k / l }')
tmp="$out.tmp"
{
  cat <<MD
# Kernel image boot time on real Xen against Linux as a $linux_label guest

\`bench/KernelBoot/run.sh $rounds $linux_type\`, $(date -u +%Y-%m-%d): Xen 4.17 under QEMU's emulator (tools/realxen, Debian's C
xenstored), in one boot, alternated: the kernel image (\`kernel/Xen.Kernel\`, \`type = "pvh"\`) from \`xl create\` to
its last attach line (\`xen0: watching control/shutdown\`, polled in \`xl dmesg\` every 0.2 s) and Debian's Linux
(\`realxen guest --type $linux_type\`) from \`xl create\` to its init running a command (a marker on its console, as
\`realxen guest\` relays xenconsoled's log), both with a vif on netback and no disk; dom0's clock. Each figure includes its polling delay. Load average before $load_before, after $load_after (2 cores,
shared): the emulator and the load make absolute figures meaningless; the ratio is the figure.

| guest | timed rounds (s) | median (s) |
|---|---|---|
| kernel image to its last attach line | $(echo $kernel_times | sed 's/ /, /g') | $kernel |
| Linux $linux_label to init | $(echo $linux_times | sed 's/ /, /g') | $linux |

Kernel image / Linux: **${ratio}x** the time.
MD
  failed=$(grep "^round [0-9]*: " "$run" || true)
  if [ -n "$failed" ]; then
    echo
    echo "Rounds without a timing (of $rounds asked), as dom0 reported them:"
    echo
    echo "$failed" | sed 's/^/- /'
    grep -q "async_exec_timeout" "$run" && echo "- (libxl's hotplug timeout: a device's hotplug script did not finish in time in the loaded dom0)" || true
  fi
} > "$tmp"
mv "$tmp" "$out"
cat "$out"
