#!/bin/sh
# dom0's side of bench/Backends (run by realxen run from run.sh). Per round: one guest whose xvda is ours
# (xenbackendd on a standalone disk) and xvdb QEMU's qdisk (started by realxen guest) runs guest-fio.sh on both, then
# guest-iperf.sh through our Netback (Linux's xen-netback unloaded); then one guest runs guest-iperf.sh through
# Linux's netback and guest-fio.sh on Linux's blkback (a loop device). Ours and qdisk share a guest so that the
# bench's figure survives a kernel disk whose hotplug script misses libxl's 40 s under load. Every guest is
# bounded. Prints "BENCH ROUND BACKEND METRIC VALUE" lines and "FAIL ..." lines for run.sh.
# $1 xenbackendd (NativeAOT), $2 the folder of the guest scripts, $3 rounds.
backendd=$1; dir=$2; rounds=$3
work=/tmp/bench; mkdir -p $work
modprobe tun   # the vifs' TAPs: realxen's dom0 loads only Xen's modules and the bridge
ip addr add 10.0.0.1/24 dev xenbr0
iperf3 -s -D --pidfile $work/iperf3.pid
start_ours() {
  "$backendd" --vbd-kind standalone > $work/xenbackendd.log 2>&1 &
  bd=$!
  i=0; until grep -q "ready in domain 0" $work/xenbackendd.log; do i=$((i + 1)); [ $i -le 1200 ] || { echo "FAIL xenbackendd"; cat $work/xenbackendd.log; exit 1; }; sleep 0.5; done
}
stop_ours() { kill -TERM $bd; i=0; while kill -0 $bd 2>/dev/null; do i=$((i + 1)); [ $i -le 120 ] || { kill -KILL $bd; break; }; sleep 0.5; done; grep -v "^xenbackendd: ready" $work/xenbackendd.log; }
guest() { # round command [realxen guest options]
  round=$1; command=$2; shift 2
  # xl create itself has no bound: the whole guest gets one.
  timeout 2400 realxen guest --timeout 1800 --memory 512 "$@" -- "$command" > $work/guest.out 2>&1
  status=$?
  xl destroy realxen-guest 2>/dev/null
  grep '^RESULT' $work/guest.out | while read -r _ backend metric value rest; do echo "BENCH $round $backend $metric $value $rest"; done
  if [ $status != 0 ]; then
    echo "FAIL guest '$command' round $round exited $status"
    grep '^FAIL' $work/guest.out
    tail -20 $work/guest.out
    for log in /var/log/xen/qdisk-realxen-guest.log /var/log/xen/xl-realxen-guest.log /var/log/xen/xen-hotplug.log; do [ -f $log ] && { echo "-- $log"; tail -20 $log; }; done
  fi
}
fio="--file /usr/bin/fio --file $dir/guest-fio.sh"
iperf="--file /usr/bin/iperf3 --file $dir/guest-iperf.sh"
r=1
while [ $r -le $rounds ]; do
  for d in ours kernel qdisk; do rm -f $work/$d.img; truncate -s 128M $work/$d.img; done
  modprobe -r xen-netback
  start_ours
  guest $r "sh $dir/guest-fio.sh xvda=ours xvdb=qdisk && sh $dir/guest-iperf.sh ours" $fio $iperf --nic \
    --disk $work/ours.img,backend=standalone --disk $work/qdisk.img,backend=qdisk
  stop_ours
  modprobe xen-netback
  guest $r "sh $dir/guest-iperf.sh kernel && sh $dir/guest-fio.sh xvda=kernel" $fio $iperf --nic --disk $work/kernel.img
  r=$((r + 1))
done
kill "$(cat $work/iperf3.pid)" 2>/dev/null
echo "BENCH done"
