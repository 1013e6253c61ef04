#!/bin/sh
# The guest's half of BackendsOnRealXenTests, run by realxen guest: Linux's xen-blkfront on the standalone disk our
# Blkback serves (mkfs.ext4, files with checksums, fio with verification), then xen-netfront on the vif our Netback
# serves (ping and iperf3 both ways with dom0 at 10.0.0.1). Each check prints "ok guest: ..." or "FAIL guest: ...".
# $1: the kernel's modules folder (ext4 and what it needs were put in the guest at the same paths).
modules=$1
ok() { echo "ok guest: $*"; }
fail() { echo "FAIL guest: $*"; failed=1; }
failed=0
# Devices appear when their backend connects; under the emulator that may take a while (at most 300 s).
wait_for() { i=0; while [ ! -e "$1" ]; do i=$((i + 1)); [ $i -le 3000 ] || return 1; sleep 0.1; done; }
for m in lib/crc16 fs/mbcache fs/jbd2/jbd2 crypto/crc32c_generic fs/ext4/ext4; do
  insmod "$modules/kernel/$m.ko" || fail "insmod $m"
done

echo "== guest disk"
if wait_for /dev/xvda; then
  ok "xen-blkfront sees xvda, $(cat /sys/block/xvda/size) sectors"
  mkfs.ext4 -q -F /dev/xvda && ok "mkfs.ext4 /dev/xvda"
  mkdir -p /mnt && mount -t ext4 /dev/xvda /mnt && ok "mounted xvda"
  mkdir -p /mnt/data
  for n in 1 2 3 4 5; do dd if=/dev/urandom of=/mnt/data/file$n bs=4k count=$((n * 700 + 13)) 2>/dev/null; done
  (cd /mnt/data && sha256sum file* > SUMS) && cat /mnt/data/SUMS
  # Unmount and drop the page cache, so the read back comes from the backend.
  umount /mnt && echo 3 > /proc/sys/vm/drop_caches && mount -t ext4 /dev/xvda /mnt || fail "remount xvda"
  (cd /mnt/data && sha256sum -c SUMS) && ok "5 files written, remounted and read back match their sha256"
  fio --name=verify --filename=/mnt/fio.dat --size=48M --rw=randwrite --bsrange=4k-128k --ioengine=libaio --iodepth=8 \
      --direct=1 --thread --verify=crc32c --verify_fatal=1 --do_verify=1 --randseed=16 > /tmp/fio.out 2>&1
  status=$?
  grep -E "err=|WRITE:|READ:|verify" /tmp/fio.out
  [ $status = 0 ] && ok "fio random writes of 4k-128k at depth 8 (direct, libaio) verified by crc32c" || { cat /tmp/fio.out; fail "fio exited $status"; }
  umount /mnt && ok "unmounted xvda"
else
  fail "no /dev/xvda"
fi

echo "== guest net"
if wait_for /sys/class/net/eth0; then
  ok "xen-netfront sees eth0 ($(cat /sys/class/net/eth0/address))"
  ip addr add 10.0.0.2/24 dev eth0 && ip link set eth0 up
  ping -c 5 -w 120 10.0.0.1 > /tmp/ping.out 2>&1 && ok "ping dom0" || fail "ping dom0"
  tail -2 /tmp/ping.out
  iperf3 -c 10.0.0.1 -t 5 -f m > /tmp/iperf.out 2>&1 && ok "iperf3 guest to dom0" || { cat /tmp/iperf.out; fail "iperf3 guest to dom0"; }
  grep -E "sender|receiver" /tmp/iperf.out
  iperf3 -c 10.0.0.1 -t 5 -f m -R > /tmp/iperf.out 2>&1 && ok "iperf3 dom0 to guest" || { cat /tmp/iperf.out; fail "iperf3 dom0 to guest"; }
  grep -E "sender|receiver" /tmp/iperf.out
else
  fail "no eth0"
fi
exit $failed
