#!/bin/sh
# Runs in realxen's dom0 (realxen run -- sh dom0-bench.sh ITERATIONS ROUNDS): one PV guest runs Xen's test-xenstore
# over its store ring, ROUNDS times each of "read 1" and "write 1" (ITERATIONS requests each), and prints its lines.
# The guest may only write below nodes it owns, and test-xenstore works in "xenstore-test" of the guest's home, so
# dom0 creates that node for the guest first, then tells the guest to start.
iterations=${1:-2000}
rounds=${2:-3}
xen=/usr/lib/xen-4.17/bin
realxen guest --name xsbench --timeout 3000 --file $xen/test-xenstore --file /usr/bin/xenstore-read -- "
  i=0; until [ \"\$(xenstore-read xenstore-test)\" = ready ]; do i=\$((i+1)); [ \$i -lt 2400 ] || exit 9; sleep 0.5; done
  r=0; while [ \$r -lt $rounds ]; do
    $xen/test-xenstore -i $iterations -t 'read 1' || exit 5
    $xen/test-xenstore -i $iterations -t 'write 1' || exit 6
    r=\$((r+1))
  done" &
guest=$!
i=0; until id=$(xl domid xsbench 2>/dev/null); do i=$((i+1)); [ $i -lt 2400 ] || { echo "no guest xsbench"; exit 1; }; sleep 0.5; done
xenstore-write /local/domain/$id/xenstore-test "" && xenstore-chmod /local/domain/$id/xenstore-test n$id && xenstore-write /local/domain/$id/xenstore-test ready
wait $guest
