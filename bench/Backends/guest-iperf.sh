#!/bin/sh
# In a bench guest: iperf3 with dom0 (10.0.0.1) each way; prints "RESULT BACKEND tx|rx Mbit/s" (the receiver's
# figure). Argument: the network backend's name.
backend=$1
wait_for() { i=0; while [ ! -e "$1" ]; do i=$((i + 1)); [ $i -le 3000 ] || return 1; sleep 0.1; done; }
wait_for /sys/class/net/eth0 || { echo "FAIL $backend: no eth0"; exit 1; }
ip addr add 10.0.0.2/24 dev eth0 && ip link set eth0 up
ping -c 3 -w 120 10.0.0.1 > /dev/null || { echo "FAIL $backend: ping"; exit 1; }
for way in tx rx; do
  flag=; [ $way = rx ] && flag=-R
  iperf3 -c 10.0.0.1 -t ${IPERF_SECONDS:-10} -f m $flag > /tmp/iperf.out 2>&1 || { cat /tmp/iperf.out; echo "FAIL $backend: iperf3 $way"; exit 1; }
  awk -v b=$backend -v way=$way '/receiver/ { for (i = 1; i < NF; i++) if ($(i + 1) == "Mbits/sec") print "RESULT " b " " way " " $i }' /tmp/iperf.out
done
