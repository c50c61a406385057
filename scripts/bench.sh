#!/usr/bin/env bash
# Builds vmoodle_bench (Release) and runs it: vmoodle-apply against its peers on the
# same data in the same run, times and ratios printed (docs/performance.md).
#
#   scripts/bench.sh [--full] [--hosts N] [--files N] [--only refresh,dump,dataroot]
#
# BUILD_DIR (default build-bench) is the CMake build directory. The benchmark starts its
# own MariaDB sandbox; mydumper/myloader are measured when installed, skipped otherwise.
# VMOODLE_MOODLE_SCHEMA=FILE builds hosts from that schema instead of the one found
# beside the source tree (or integration/fixtures/moodle-mini.sql).
set -euo pipefail

source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
build_dir=${BUILD_DIR:-$source_dir/build-bench}

generator=()
if command -v ninja >/dev/null 2>&1 && [[ ! -f "$build_dir/CMakeCache.txt" ]]; then
  generator=(-G Ninja)
fi
cmake -S "$source_dir" -B "$build_dir" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build_dir" --target vmoodle_bench vmoodle-apply
exec "$build_dir/integration/vmoodle_bench" "$@"
