#!/usr/bin/env bash
# Runs every XenGen test on a fresh Debian machine: installs what the tests need (apt packages), builds,
# fetches the pinned Xen header trees, runs all test projects, and ends with "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")"

apt_packages=(clang bindgen dpkg-dev)
missing=()
for p in "${apt_packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

dotnet build XenGen.sln -c Release -nologo -v quiet
dotnet tools/xengen/bin/Release/net10.0/xengen.dll headers fetch all

log=$(mktemp)
set +e
dotnet test XenGen.sln -c Release --no-build -nologo --logger "console;verbosity=normal" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One summary line per test assembly: "Passed!  - Failed: 0, Passed: 46, Skipped: 0, Total: 46, ..."
awk '/(Passed|Failed)! +- Failed:/ {
       for (i = 1; i <= NF; i++) {
         if ($i == "Failed:") f += $(i + 1); if ($i == "Passed:") p += $(i + 1); if ($i == "Skipped:") s += $(i + 1)
       }
       n++
     }
     END {
       if (n == 0) { print "0 passed, 1 failed"; exit 3 }
       printf "%d passed, %d failed%s\n", p, f, (s > 0 ? ", " s " skipped" : "")
     }' "$log" || status=1
rm -f "$log"
exit "$status"
