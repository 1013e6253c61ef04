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
