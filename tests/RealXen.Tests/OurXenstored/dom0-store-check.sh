# Dom0's script for OurXenstoredTests and RealXenBootTests, the same for both stores: dom0's devices and identity;
# Xen's test-xenstore in dom0; a PV guest with a kernel-blkback disk and a netback vif running test-xenstore over its
# ring; dom0's view of the guest's tree while both devices are connected; a guest whose disk QEMU's qdisk serves; a
# second guest destroyed with xl destroy. Sections start with "== ".
xen=/usr/lib/xen-4.17/bin
wait_for() { # wait_for TRIES COMMAND...: retries COMMAND every half second, at most TRIES times
  n=$1; shift; i=0
  until "$@"; do i=$((i + 1)); [ $i -lt "$n" ] || return 1; sleep 0.5; done
}
echo "== xl list"; xl list
echo "== dev/xen"; ls /dev/xen
echo "== domid"; xenstore-read /local/domain/0/domid
echo "== name"; xenstore-read /local/domain/0/name
echo "== virt_caps"; xl info | grep virt_caps
echo "== dom0 tree"; xenstore-ls -fp /local/domain/0
echo "== test-xenstore dom0"; $xen/test-xenstore -i 2; echo "test-xenstore status $?"

truncate -s 64M /tmp/disk.img
# test-xenstore works in "xenstore-test" below the caller's home, which a guest cannot create (libxl makes the home
# read-only for it): dom0 creates it for the guest, then says "ready"; the guest waits for "done" before it ends,
# so that dom0 reads its tree while it runs.
realxen guest --name xsguest --timeout 3000 --disk /tmp/disk.img --nic --file $xen/test-xenstore --file /usr/bin/xenstore-read --file /usr/bin/xenstore-write -- '
  i=0; until [ "$(xenstore-read xenstore-test)" = ready ]; do i=$((i+1)); [ $i -lt 2400 ] || exit 9; sleep 0.5; done
  echo "== guest devices"; ls /dev/xvda; cat /sys/block/xvda/size; cat /sys/class/net/eth0/address
  echo "== test-xenstore guest"; /usr/lib/xen-4.17/bin/test-xenstore -i 2; echo "test-xenstore status $?"
  xenstore-write data/tested yes
  i=0; until [ "$(xenstore-read xenstore-test)" = done ]; do i=$((i+1)); [ $i -lt 2400 ] || exit 8; sleep 0.5; done
  exit 7' > /tmp/guest.log 2>&1 &
guest=$!
guest_created() { xl domid xsguest >/dev/null 2>&1 || ! kill -0 $guest 2>/dev/null; }
wait_for 2400 guest_created
id=$(xl domid xsguest)
echo "== guest domid"; echo "$id"
xenstore-write /local/domain/$id/xenstore-test "" && xenstore-chmod /local/domain/$id/xenstore-test n$id && xenstore-write /local/domain/$id/xenstore-test ready
connected() { [ "$(xenstore-read "$1" 2>/dev/null)" = 4 ]; }
# Waits end early when the guest's realxen has exited (a failed xl create, say); then its output tells why.
tested() { [ "$(xenstore-read /local/domain/$id/data/tested 2>/dev/null)" = yes ] || ! kill -0 $guest 2>/dev/null; }
wait_for 2400 tested || { echo "== guest did not get through test-xenstore"; cat /tmp/guest.log; xl list; tail -50 /var/log/xen/xenstored.log 2>/dev/null; xl destroy xsguest; }
for p in /local/domain/$id/device/vbd/51712/state /local/domain/0/backend/vbd/$id/51712/state /local/domain/$id/device/vif/0/state /local/domain/0/backend/vif/$id/0/state; do wait_for 240 connected $p; done
echo "== states"
for p in /local/domain/$id/device/vbd/51712/state /local/domain/0/backend/vbd/$id/51712/state /local/domain/$id/device/vif/0/state /local/domain/0/backend/vif/$id/0/state; do echo "$p $(xenstore-read $p)"; done
echo "== guest tree"; xenstore-ls -fp /local/domain/$id
echo "== backend tree"; xenstore-ls -fp /local/domain/0/backend
echo "== libxl tree"; xenstore-ls -fp /libxl/$id
xenstore-write /local/domain/$id/xenstore-test done
wait $guest; echo "== guest status $?"
echo "== guest console"; cat /tmp/guest.log

truncate -s 64M /tmp/qdisk.img
printf written-by-dom0 | dd of=/tmp/qdisk.img conv=notrunc 2>/dev/null
echo "== qdisk guest"
realxen guest --timeout 1800 --disk /tmp/qdisk.img,backend=qdisk -- 'cat /sys/block/xvda/size; head -c 15 /dev/xvda; echo; printf written-by-guest | dd of=/dev/xvda bs=512 seek=1 conv=fsync 2>/dev/null && echo guest-wrote'
echo "== qdisk guest status $?"
echo "== qdisk sector 1"; dd if=/tmp/qdisk.img bs=512 skip=1 count=1 2>/dev/null | head -c 16; echo
echo "== qdisk after"; xenstore-ls /local/domain/0/backend/qdisk 2>/dev/null | grep -c state; ps -eo args | grep -c '^/usr/libexec/xen-qemu-system-i386'

realxen guest --name victim --timeout 3000 -- 'sleep 3000' > /tmp/victim.log 2>&1 &
victim=$!
victim_created() { xl domid victim >/dev/null 2>&1 || ! kill -0 $victim 2>/dev/null; }
wait_for 2400 victim_created
vid=$(xl domid victim)
has_console() { xenstore-read /local/domain/$vid/console/ring-ref >/dev/null 2>&1 || ! kill -0 $victim 2>/dev/null; }
wait_for 2400 has_console
echo "== xl destroy"; xl destroy victim; echo "xl destroy status $?"
wait $victim; echo "victim's realxen guest status $?"
echo "== xl list after"; xl list
echo "== domains after"; xl list | tail -n +2 | wc -l
echo "== victim home after"; xenstore-ls /local/domain/$vid 2>&1 | head -3
echo "== xenstored log"; cat /var/log/xen/xenstored.log 2>/dev/null
echo "== end"
exit 3
