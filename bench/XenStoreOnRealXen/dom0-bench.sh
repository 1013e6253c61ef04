#!/bin/sh
# Runs in realxen's dom0 (realxen run -- sh dom0-bench.sh ITERATIONS ROUNDS): one PV guest runs Xen's test-xenstore
# over its store ring, ROUNDS times each of "read 1" and "write 1" (ITERATIONS requests each), and prints its lines.
# test-xenstore works in "xenstore-test" of the guest's home and removes it when it ends, and a guest cannot create a
# node in its home (libxl makes the home read-only for it): so dom0 (re)creates that node, owned by the guest, with
# the value "ready" whenever it is missing, and the guest waits for "ready" before each run.
iterations=${1:-2000}
rounds=${2:-3}
xen=/usr/lib/xen-4.17/bin
realxen guest --name xsbench --timeout 3000 --file $xen/test-xenstore --file /usr/bin/xenstore-read -- "
  ready() { i=0; until [ \"\$(xenstore-read xenstore-test 2>/dev/null)\" = ready ]; do i=\$((i+1)); [ \$i -lt 2400 ] || exit 9; sleep 0.2; done; }
  r=0; while [ \$r -lt $rounds ]; do
    ready; $xen/test-xenstore -i $iterations -t 'read 1' || exit 5
    ready; $xen/test-xenstore -i $iterations -t 'write 1' || exit 6
    r=\$((r+1))
  done" &
guest=$!
i=0; until id=$(xl domid xsbench 2>/dev/null); do i=$((i+1)); [ $i -lt 2400 ] || { echo "no guest xsbench"; exit 1; }; sleep 0.5; done
node=/local/domain/$id/xenstore-test
while kill -0 $guest 2>/dev/null; do
  xenstore-read $node >/dev/null 2>&1 || { xenstore-write $node "" && xenstore-chmod $node n$id && xenstore-write $node ready; }
  sleep 0.1
done
wait $guest
