#!/bin/sh
# libxl's hotplug script for a realxen guest's vif (written by realxen guest): the backend's interface on dom0's
# bridge xenbr0, up. As Xen's vif-bridge, without its forks (two processes here: one ip, one xenstore-write), which
# under the emulator on a loaded machine ran past libxl's 40 s hotplug timeout.
# libxl runs it as: vif-hotplug.sh online|offline|add|remove, with vif the interface and XENBUS_PATH the backend's path.
case "$1" in
  online|add)
    ip link set dev "$vif" master xenbr0 up || exit 1
    xenstore-write "$XENBUS_PATH/hotplug-status" connected
    ;;
esac
exit 0
