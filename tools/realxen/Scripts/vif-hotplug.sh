#!/bin/sh
# libxl's hotplug script for a realxen guest's vif (written by realxen guest): the backend's interface on dom0's
# bridge xenbr0, up. As Xen's vif-bridge, without the forks the emulator makes too slow for libxl's timeout.
# libxl runs it as: vif-hotplug.sh online|offline|add|remove, with vif the interface and XENBUS_PATH the backend's path.
case "$1" in
  online|add)
    ip link set dev "$vif" master xenbr0 && ip link set dev "$vif" up || exit 1
    xenstore-write "$XENBUS_PATH/hotplug-status" connected
    ;;
esac
exit 0
