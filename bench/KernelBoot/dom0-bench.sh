#!/bin/sh
# Runs in realxen's dom0 (realxen run -- sh dom0-bench.sh ELF ROUNDS [pv|pvh]): ROUNDS times, in turn, the kernel
# image (PVH) and Debian's Linux (a guest of the given type, pv by default) with the same vif (netback on xenbr0) and no disk, each timed with
# dom0's clock from just before `xl create` to its goal: the kernel's last attach line ("xen0: watching
# control/shutdown" in `xl dmesg`, polled every 0.2 s) and Linux's init running its command (a marker on its
# console, as `realxen guest` relays xenconsoled's log). Prints "== kernel T0 T1" and "== linux T0 T1" lines.
# No disk: in a first run on a loaded machine the Linux guest's disk hotplug script ran past libxl's timeout in
# every round (xl create failed), and the kernel's next create then failed too.
elf=$1
rounds=${2:-3}
linux_type=${3:-pv}
marker=xengen-bench-init-reached
scripts=$(cd "$(dirname "$0")/../../tools/realxen/Scripts" && pwd)
cp "$scripts/vif-hotplug.sh" /tmp/vif-hotplug.sh && chmod +x /tmp/vif-hotplug.sh || exit 11
cat > /tmp/xen-kernel.cfg <<CFG
name = "xenkernel"
type = "pvh"
kernel = "$elf"
memory = 32
vcpus = 1
on_poweroff = "destroy"
on_crash = "destroy"
vif = [ "bridge=xenbr0,script=/tmp/vif-hotplug.sh" ]
CFG
round=0
while [ $round -lt "$rounds" ]; do
  round=$((round + 1))
  t0=$(date +%s.%N)
  xl create /tmp/xen-kernel.cfg >/dev/null 2>&1 || { echo "round $round: xl create of the kernel failed"; exit 10; }
  id=$(xl domid xenkernel)
  reached=no
  i=0
  while [ $i -lt 3000 ]; do
    xl dmesg | grep -q "(d$id) xen0: watching control/shutdown" && { reached=yes; break; }
    i=$((i + 1)); sleep 0.2
  done
  t1=$(date +%s.%N)
  [ $reached = yes ] && echo "== kernel $t0 $t1" || echo "round $round: the kernel (d$id) never logged its control watch"
  xl shutdown xenkernel >/dev/null 2>&1
  i=0; while [ $i -lt 600 ] && xl list xenkernel >/dev/null 2>&1; do i=$((i + 1)); sleep 1; done
  xl destroy xenkernel >/dev/null 2>&1

  realxen guest --type "$linux_type" --nic --name "linux$linux_type" --timeout 1200 -- echo $marker 2>&1 |
    while IFS= read -r line; do echo "$(date +%s.%N) $line"; done > /tmp/linux-round.log
  t0=$(grep -m1 "realxen guest: .* xl create" /tmp/linux-round.log | cut -d' ' -f1)
  t1=$(grep -m1 "^[0-9.]* $marker\$" /tmp/linux-round.log | cut -d' ' -f1)
  if [ -n "$t0" ] && [ -n "$t1" ]; then echo "== linux $t0 $t1"; else echo "round $round: no Linux timing"; cat /tmp/linux-round.log; fi
done
