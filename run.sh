#!/usr/bin/env bash
# The main job: fetch the pinned header tree of a release (default: releases.json's defaultRelease),
# import its ABI model for every architecture with a summary table, and prove the models with clang.
# Usage: ./run.sh [release|all]
set -euo pipefail
cd "$(dirname "$0")"
release=${1:-}
command -v clang >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang >/dev/null; }
dotnet build tools/xengen -c Release -nologo -v quiet
xengen() { dotnet tools/xengen/bin/Release/net10.0/xengen.dll "$@"; }
xengen headers fetch ${release:+"$release"}
xengen import ${release:+--release "$release"}
xengen verify ${release:+--release "$release"}
# A short boot of one guest nexus on the simulated Xen with its dom0 (xenstored, toolstack), a disk and a NIC.
dotnet build tools/xensim -c Release -nologo -v quiet
dotnet tools/xensim/bin/Release/net10.0/xensim.dll run --disk /dev/null --nic "" --for 3
