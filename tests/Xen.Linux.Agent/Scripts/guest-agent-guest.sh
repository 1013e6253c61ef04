#!/bin/sh
# The guest half of `xen-agent-check guest-agent` (run by realxen guest, busybox sh): xen-guest-agent over
# /dev/xen/xenbus, then, when dom0 says go, one address added on eth0. Debian's xenstore-read/-write talk to dom0.
# $1: the agent binary. $2: the address to add. Every wait is bounded.
agent=$1 address=$2
folder=data/guest-agent-check
say() { echo "agent-guest: $*"; }
wait_for() { # KEY TENTHS: until KEY exists, at most TENTHS/10 s
  i=0
  until xenstore-read "$1" >/dev/null 2>&1; do
    i=$((i + 1)); [ $i -le "$2" ] || return 1
    sleep 0.1
  done
}

ip link set eth0 up && ip addr add 192.0.2.10/24 dev eth0 || { say "FAIL ip addr add 192.0.2.10/24 dev eth0"; exit 1; }
# What the guest's kernel says, for dom0 to compare with what the agent publishes.
xenstore-write $folder/uname "$(uname -r)" $folder/memtotal "$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)" \
  || { say "FAIL xenstore-write through /dev/xen/xenbus"; exit 1; }
"$agent" --xenbus /dev/xen/xenbus --kernel-shutdown --memory-interval 3600 2>/tmp/agent.log &
pid=$!
say "xen-guest-agent started (pid $pid)"

status=0
if wait_for $folder/go 6000; then
  # The marker goes first, so dom0 can tell the address came after it. The shell reads /proc/uptime (no process)
  # before the marker, after it and after ip addr add: dom0 tells with them how much of its delay was these commands.
  read t0 _ </proc/uptime
  xenstore-write $folder/adding "$address" && read t1 _ </proc/uptime && ip addr add "$address/24" dev eth0 \
    && read t2 _ </proc/uptime && say "added $address on eth0" && xenstore-write $folder/times "$t0 $t1 $t2"
  wait_for $folder/done 6000 || { say "FAIL dom0 never wrote $folder/done"; status=1; }
else
  say "FAIL dom0 never wrote $folder/go"; status=1
fi
kill -0 $pid 2>/dev/null || { say "FAIL xen-guest-agent exited early"; status=1; }
kill $pid 2>/dev/null; wait $pid
sed 's/^/agent-guest: log: /' /tmp/agent.log
exit $status
