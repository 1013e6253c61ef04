#!/bin/sh
# libxl's hotplug script for a realxen guest's disk on kernel blkback (written by realxen guest): the backend's
# physical-device is the loop device's major:minor (hex, as blkback parses it). Xen's own block script does the same
# with locking and sharing checks that fork dozens of processes; under the emulator on a loaded machine each process
# costs seconds, which ran past libxl's 40 s hotplug timeout. So this one forks little: realxen guest attaches the
# loop device before xl create and passes it as the target, leaving one xenstore-read and one xenstore-write here
# (the major:minor comes from sysfs through the shell's read and printf); a plain file (as tests/Xen.Kernel.Tests
# passes) is attached here and detached on remove.
# libxl runs it as: vbd-hotplug.sh add|remove, with XENBUS_PATH the backend's XenStore path.
set -e
case "$1" in
  add)
    target=$(xenstore-read "$XENBUS_PATH/params")
    owned=
    if [ ! -b "$target" ]; then
      target=$(losetup -f --show "$target")
      owned="$XENBUS_PATH/node $target"
    fi
    read -r numbers < "/sys/class/block/${target#/dev/}/dev"
    device=$(printf '%x:%x' "${numbers%:*}" "${numbers#*:}")
    xenstore-write $owned "$XENBUS_PATH/physical-device" "$device" "$XENBUS_PATH/physical-device-path" "$target" \
      "$XENBUS_PATH/hotplug-status" connected
    ;;
  remove)
    loop=$(xenstore-read "$XENBUS_PATH/node" 2>/dev/null || true)
    [ -z "$loop" ] || losetup -d "$loop" || true
    ;;
esac
