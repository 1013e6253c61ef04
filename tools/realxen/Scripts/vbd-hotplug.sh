#!/bin/sh
# libxl's hotplug script for a realxen guest's disk on kernel blkback (written by realxen guest): a loop device for
# the file, its major:minor in the backend's physical-device. Xen's own block script does the same with locking
# and sharing checks that fork dozens of processes, which under the emulator on a loaded machine ran past libxl's hotplug timeout.
# libxl runs it as: vbd-hotplug.sh add|remove, with XENBUS_PATH the backend's XenStore path.
set -e
case "$1" in
  add)
    file=$(xenstore-read "$XENBUS_PATH/params")
    loop=$(losetup -f --show "$file")
    xenstore-write "$XENBUS_PATH/node" "$loop"
    xenstore-write "$XENBUS_PATH/physical-device" "$(stat -L -c '%t:%T' "$loop")"
    xenstore-write "$XENBUS_PATH/physical-device-path" "$loop"
    xenstore-write "$XENBUS_PATH/hotplug-status" connected
    ;;
  remove)
    loop=$(xenstore-read "$XENBUS_PATH/node" 2>/dev/null || true)
    [ -z "$loop" ] || losetup -d "$loop" || true
    ;;
esac
