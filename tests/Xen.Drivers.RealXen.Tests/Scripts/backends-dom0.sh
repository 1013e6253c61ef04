#!/bin/sh
# dom0's half of BackendsOnRealXenTests, run by realxen run: xenbackendd serves the standalone disks and the vifs
# (Linux's xen-netback unloaded so that backend/vif is ours), one guest runs Scripts/backends-guest.sh, then dom0
# checks the backing file with e2fsck and reads the guest's files out of it. Checks print "ok ..." or "FAIL ...".
# $1: xenbackendd (published NativeAOT); $2: the guest's script.
backendd=$1
guest=$2
ok() { echo "ok dom0: $*"; }
fail() { echo "FAIL dom0: $*"; failed=1; }
failed=0
work=/tmp/backends
mkdir -p $work
modules=$REALXEN_MODULES

modprobe -r xen-netback && ok "Linux's xen-netback unloaded" || fail "modprobe -r xen-netback"
# The vifs' TAPs: realxen's dom0 loads only Xen's modules and the bridge.
modprobe tun || fail "modprobe tun"
"$backendd" --vbd-kind standalone > $work/xenbackendd.log 2>&1 &
pid=$!
i=0
until grep -q "ready in domain 0" $work/xenbackendd.log; do
  i=$((i + 1))
  if [ $i -gt 1200 ] || ! kill -0 $pid 2>/dev/null; then fail "xenbackendd not ready in 600 s"; cat $work/xenbackendd.log; exit 1; fi
  sleep 0.5
done
ok "xenbackendd ready"
ip addr add 10.0.0.1/24 dev xenbr0
iperf3 -s -D --pidfile $work/iperf3.pid
truncate -s 256M $work/disk.img

echo "== guest"
realxen guest --timeout 3000 --memory 640 --nic --disk $work/disk.img,backend=standalone \
  --file "$guest" --file /usr/bin/fio --file /usr/sbin/mkfs.ext4 --file /usr/bin/iperf3 --file /etc/mke2fs.conf \
  --file $modules/kernel/lib/crc16.ko --file $modules/kernel/fs/mbcache.ko --file $modules/kernel/fs/jbd2/jbd2.ko \
  --file $modules/kernel/crypto/crc32c_generic.ko --file $modules/kernel/fs/ext4/ext4.ko \
  -- sh "$guest" "$modules"
echo "== guest status $?"

kill "$(cat $work/iperf3.pid)" 2>/dev/null
kill -TERM $pid
i=0
while kill -0 $pid 2>/dev/null; do i=$((i + 1)); [ $i -le 120 ] || { kill -KILL $pid; fail "xenbackendd did not stop in 60 s"; break; }; sleep 0.5; done
echo "== xenbackendd"
cat $work/xenbackendd.log

echo "== dom0 checks"
e2fsck -f -n $work/disk.img > $work/fsck.out 2>&1 && ok "e2fsck -f clean on the backing file" || { cat $work/fsck.out; fail "e2fsck -f"; }
debugfs -R "rdump /data $work" $work/disk.img > /dev/null 2>&1
(cd $work/data && sha256sum -c SUMS) && ok "the guest's files read out of the backing file match the guest's sha256" || fail "the guest's files in the backing file"
echo "== end"
exit $failed
