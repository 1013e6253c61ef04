#!/bin/bash
# iperf3 TCP Gbit/s through xensim's path (guest TAP -> xnf0 -> rings -> netback -> backend TAP) against a veth pair
# between the same two network namespaces, in the same run, with the xensim process's CPU time beside each of ours
# (guest and dom0 share that process). Writes bench/results/net.md. Run as root after building xensim (Release).
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER_RUN=${SECONDS_PER_RUN:-5}
XENSIM=tools/xensim/bin/Release/net10.0/xensim.dll
OUT=bench/results/net.md
[ -f $XENSIM ] || { echo "build xensim first: dotnet build tools/xensim/xensim.csproj -c Release" >&2; exit 2; }
A=xbench-a; B=xbench-b
cleanup() { ip netns del $A 2>/dev/null || true; ip netns del $B 2>/dev/null || true; if [ -n "${SIM:-}" ]; then kill -TERM $SIM 2>/dev/null || true; fi; }
trap cleanup EXIT
ticks() { awk '{print $14+$15}' /proc/$1/stat; }
rate() { # server-ns client-ns address [iperf args] -> receiver Gbit/s
  ip netns exec $1 iperf3 -s -1 -p 5301 >/dev/null 2>&1 & local s=$!; sleep 0.3
  ip netns exec $2 iperf3 -c $3 -p 5301 -t $SECONDS_PER_RUN -J | python3 -c 'import json,sys; print("%.3f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]/1e9))'
  wait $s
}
measure() { # label server client address -> "gbit cpu-seconds"
  local before=$(ticks $SIM); local g=$(rate $2 $3 $4); local after=$(ticks $SIM)
  echo "$g $(python3 -c "print('%.2f' % (($after-$before)/$(getconf CLK_TCK)))")"
}
declare -A R
for offload in on off; do
  cleanup; SIM=""
  ip netns add $A; ip netns add $B
  dotnet $XENSIM run --nic backend-tap=xbtb0,guest-tap=xbtg0 --offload $offload --for 600 > /tmp/xbench.log 2>&1 & SIM=$!
  for i in $(seq 300); do grep -q "xnf0: connected" /tmp/xbench.log && ip link show xbtg0 >/dev/null 2>&1 && break; sleep 0.1; done
  ip link set xbtg0 netns $A; ip link set xbtb0 netns $B
  ip -n $A addr add 10.79.0.1/24 dev xbtg0; ip -n $A link set xbtg0 up
  ip -n $B addr add 10.79.0.2/24 dev xbtb0; ip -n $B link set xbtb0 up
  ping -c1 -W5 -q 10.79.0.2 >/dev/null 2>&1 || ip netns exec $A ping -c 3 -W 5 -q 10.79.0.2 >/dev/null
  R[xnf-tx-$offload]=$(measure tx $B $A 10.79.0.2)
  R[xnf-rx-$offload]=$(measure rx $A $B 10.79.0.1)
  kill -TERM $SIM; wait $SIM || true; SIM=""
  ip netns del $A; ip netns del $B
done
ip netns add $A; ip netns add $B
ip link add xbva type veth peer name xbvb
ip link set xbva netns $A; ip link set xbvb netns $B
ip -n $A addr add 10.79.0.1/24 dev xbva; ip -n $A link set xbva up
ip -n $B addr add 10.79.0.2/24 dev xbvb; ip -n $B link set xbvb up
sleep 0.5
VETH_TX=$(rate $B $A 10.79.0.2); VETH_RX=$(rate $A $B 10.79.0.1)
{
  echo "# Network: iperf3 through xnf and netback against a veth pair"
  echo
  echo "One run of \`bench/Net/run.sh\` ($(date -u +%Y-%m-%d), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)): iperf3 TCP for"
  echo "$SECONDS_PER_RUN s each way between two network namespaces, first through xensim (guest TAP, xnf0, the tx/rx rings,"
  echo "grant copies, netback, backend TAP), then through a veth pair between the same namespaces (the kernel's own"
  echo "path). CPU is the xensim process's user+system time during the run: guest and dom0 are one process, so it is"
  echo "frontend and backend together. Goal: at least 0.3x veth with GSO on."
  echo
  echo "| direction | offload | xnf Gbit/s | veth Gbit/s | ratio | xensim CPU s |"
  echo "|---|---|---:|---:|---:|---:|"
  for offload in on off; do
    for dir in tx rx; do
      set -- ${R[xnf-$dir-$offload]}
      v=$([ $dir = tx ] && echo $VETH_TX || echo $VETH_RX)
      echo "| guest $([ $dir = tx ] && echo '→ backend' || echo '← backend') | $offload | $1 | $v | $(python3 -c "print('%.2fx' % ($1/$v))") | $2 |"
    done
  done
  echo
  on_tx=$(echo ${R[xnf-tx-on]} | cut -d' ' -f1); on_rx=$(echo ${R[xnf-rx-on]} | cut -d' ' -f1)
  python3 -c "
r=min($on_tx/$VETH_TX, $on_rx/$VETH_RX)
print('Goal (>= 0.3x veth with GSO on, both directions): %s, the lower ratio is %.2fx.' % ('met' if r>=0.3 else 'NOT met', r))"
} > $OUT.tmp && mv $OUT.tmp $OUT
cat $OUT
