#!/usr/bin/env bash
# Runs every XenGen test on a fresh Debian machine: installs what the tests need (apt packages), builds, packs every
# package into the local feed artifacts/packages (the samples' tests build from it), fetches the pinned Xen header
# trees, runs all test projects, and ends with "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")"

apt_packages=(clang bindgen dpkg-dev xenstore-utils python3-pyxs xen-utils-4.17
  qemu-system-x86 xen-hypervisor-4.17-amd64 busybox-static cpio kmod iproute2 linux-libc-dev binutils
  libnbd-bin qemu-utils fuse3 iputils-ping iperf3 qemu-system-xen e2fsprogs fio)
missing=()
for p in "${apt_packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

dotnet build XenGen.sln -c Release -nologo -v quiet
rm -rf artifacts/packages
dotnet pack XenGen.sln -c Release --no-build -nologo -v quiet -o artifacts/packages
dotnet tools/xengen/bin/Release/net10.0/xengen.dll headers fetch all

log=$(mktemp)
set +e
dotnet test XenGen.sln -c Release --no-build -nologo --logger "console;verbosity=normal" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# Each test assembly ends with "Total tests: N" followed by "     Passed: N", "     Failed: N", "    Skipped: N".
awk '/^Total tests: *[0-9]+/ { n++ }
     /^ +(Passed|Failed|Skipped): *[0-9]+ *$/ { sub(":", "", $1); count[$1] += $2 }
     END {
       if (n == 0) { print "0 passed, 1 failed"; exit 3 }
       printf "%d passed, %d failed%s\n", count["Passed"], count["Failed"], (count["Skipped"] > 0 ? ", " count["Skipped"] " skipped" : "")
     }' "$log" || status=1
rm -f "$log"
exit "$status"
