#!/bin/busybox sh
# PID 1 of a realxen guest's initramfs (written by realxen guest): loads the frontends, runs COMMAND, reports its
# status on the console after the marker and powers off.
/bin/busybox --install -s /bin
export PATH=/bin:/usr/bin:/sbin:/usr/sbin HOME=/root
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /tmp /root && mount -t devpts devpts /dev/pts
for m in @MODULES@; do
  insmod "/modules/$m" || echo "@MARK@warning insmod $m failed"
done
# Frontends connect asynchronously: give the devices the toolstack configured a moment to appear.
i=0
while [ $i -lt 50 ]; do
  ok=1
  for d in @DEVICES@; do [ -e "$d" ] || ok=0; done
  [ $ok = 1 ] && break
  i=$((i + 1)); sleep 0.1
done
ip link set lo up 2>/dev/null
sh /command.sh </dev/null
status=$?
echo
echo "@MARK@exit $status"
sync
poweroff -f
