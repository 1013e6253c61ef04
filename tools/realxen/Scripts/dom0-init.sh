#!/bin/busybox sh
# PID 1 of dom0's initramfs (written by realxen run). Loads the modules the root needs, mounts the host's root
# read-only over virtio-9p with a tmpfs overlay on it, then runs the dom0 stage in that root and powers off.
# Every line starting with the marker tells realxen which boot step has started or failed.
/bin/busybox --install -s /bin
export PATH=/bin
mark() { echo "@MARK@$*"; }
fail() { mark "fail $1 $2"; poweroff -f; }
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

mark "step modules"
for m in @MODULES@; do
  insmod "/modules/$m" || fail modules "insmod $m failed"
done

mark "step root"
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144 hostroot /host || fail root "mounting the host's root over 9p failed"
mount -t tmpfs -o mode=0755 overlay-upper /upper || fail root "tmpfs for the overlay failed"
mkdir -p /upper/data /upper/work
mount -t overlay -o lowerdir=/host,upperdir=/upper/data,workdir=/upper/work overlay /root || fail root "the overlay on the host's root failed"
for d in proc sys dev run; do mkdir -p "/root/$d"; done
mount -t proc proc /root/proc
mount -t sysfs sysfs /root/sys
mount -t devtmpfs devtmpfs /root/dev
mkdir -p /root/dev/pts /root/dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /root/dev/pts || fail root "devpts failed"
mount -t tmpfs -o mode=1777 shm /root/dev/shm
mount -t tmpfs -o mode=0755 run /root/run
mkdir -p /root/run/realxen
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 realxen /root/run/realxen || fail root "mounting realxen's exchange folder over 9p failed"
mkdir -p /root/lib/modules/@KERNEL_RELEASE@
mount -o bind /root@MODULES_DIR@ /root/lib/modules/@KERNEL_RELEASE@ || fail root "binding the kernel's modules failed"

chroot /root /bin/sh /run/realxen/dom0-stage.sh
mark "halt $?"
sync
poweroff -f
