#!/bin/sh
# The guest half of `xen-agent-check guest-agent` (run by realxen guest, busybox sh): xen-guest-agent over
# /dev/xen/xenbus, then `xen-agent-check add-address`, started at once and waiting for dom0's go, writes the
# marker and adds one address on eth0 (see GuestAddressAdder). Debian's xenstore-read/-write talk to dom0.
# $1: the agent binary. $2: xen-agent-check. $3: the address to add. Every wait is bounded.
agent=$1 check=$2 address=$3
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
if "$check" add-address --interface eth0 --address "$address/24"; then
  wait_for $folder/done 6000 || { say "FAIL dom0 never wrote $folder/done"; status=1; }
else
  say "FAIL xen-agent-check add-address"; status=1
fi
kill -0 $pid 2>/dev/null || { say "FAIL xen-guest-agent exited early"; status=1; }
kill $pid 2>/dev/null; wait $pid
sed 's/^/agent-guest: log: /' /tmp/agent.log
exit $status
