#!/bin/sh
# In a bench guest: the one fio job every disk backend gets, on each raw disk named; prints
# "RESULT BACKEND fio IOPS MiB/s" per disk. Arguments: DEVICE=BACKEND... (xvda=ours xvdb=kernel).
wait_for() { i=0; while [ ! -e "$1" ]; do i=$((i + 1)); [ $i -le 3000 ] || return 1; sleep 0.1; done; }
status=0
for pair in "$@"; do
  dev=/dev/${pair%%=*}; backend=${pair#*=}
  wait_for $dev || { echo "FAIL $backend: no $dev"; status=1; continue; }
  fio --name=bench --filename=$dev --rw=randrw --rwmixread=50 --bs=4k --iodepth=16 --ioengine=libaio --direct=1 --thread \
      --size=96M --runtime=${FIO_SECONDS:-20} --time_based --randseed=16 --minimal > /tmp/fio.out 2>&1 || { cat /tmp/fio.out; echo "FAIL $backend: fio"; status=1; continue; }
  # fio's terse format (v3): fields 7 and 8 are read KiB/s and IOPS, 48 and 49 write KiB/s and IOPS.
  awk -F';' -v b=$backend '{ printf "RESULT %s fio %d %.2f\n", b, $8 + $49, ($7 + $48) / 1024 }' /tmp/fio.out
done
exit $status
