#!/bin/sh
# Dom0's stage in the overlay root (written by realxen run): Xen's modules and devices, the chosen xenstored,
# xen-init-dom0, xenconsoled and a bridge for guests' vifs; then COMMAND as root in the caller's folder.
mark() { echo "@MARK@$*"; }
fail() { mark "fail $1 $2"; exit 1; }
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 DOTNET_TieredPGO=0
export REALXEN_KERNEL=@KERNEL@ REALXEN_MODULES=@MODULES_DIR@ REALXEN_MARK=@MARK@
xen=/usr/lib/xen-4.17/bin

mark "step modules"
modprobe -a xenfs xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xen-blkback xen-netback loop bridge || fail modules "modprobe of Xen's dom0 modules failed"
mount -t xenfs xenfs /proc/xen || fail modules "mounting xenfs failed"
grep -q control_d /proc/xen/capabilities || fail modules "/proc/xen/capabilities does not say control_d: this kernel is not dom0"

mark "step xenstored"
mkdir -p /run/xen /run/xenstored /var/lib/xenstored /var/log/xen/console
@START_XENSTORED@
i=0
until xenstore-read -s / >/dev/null 2>&1; do
  i=$((i + 1)); [ $i -le 100 ] || fail xenstored "xenstored does not answer on its socket after 10 s"
  sleep 0.1
done
pid=$(cat /run/xenstored.pid 2>/dev/null)
ls -l "/proc/$pid/fd" 2>/dev/null | grep -q /dev/xen/evtchn || fail xenstored "@STORE_NAME@ is not serving /dev/xen (no /dev/xen/evtchn open in its process): it serves the unix socket only"
$xen/xen-init-dom0 >/dev/null || fail xenstored "xen-init-dom0 failed"
$xen/xenconsoled --log=guest --log-dir=/var/log/xen/console --pid-file=/run/xenconsoled.pid || fail xenstored "xenconsoled failed"
ip link add xenbr0 type bridge && ip link set xenbr0 up || fail xenstored "creating the guests' bridge xenbr0 failed"
mkdir -p /usr/local/bin
printf '#!/bin/sh\nexec dotnet %s "$@"\n' "@REALXEN_DLL@" > /usr/local/bin/realxen && chmod +x /usr/local/bin/realxen

mark "step command"
dmesg -n 1
cd @CWD@ 2>/dev/null || cd /
sh /run/realxen/command.sh </dev/null
status=$?
echo
mark "exit $status"
