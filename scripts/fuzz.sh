#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/) with clang in build-fuzz/ and runs one or all of
# them for SECONDS each (default 60) over the committed seed corpus fuzz/corpus/<target>/.
# New interesting inputs go to build-fuzz/corpus/<target>/ (not committed); a crash,
# leak, sanitizer report or broken property stops the run, leaves crash-* / leak-* in
# build-fuzz/findings/ and exits non-zero.
#
#   scripts/fuzz.sh [manifest|dump_reader|all] [SECONDS]
#   scripts/fuzz.sh --reproduce TARGET FILE...   # runs the inputs once (a crasher)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

build=build-fuzz
all_targets=(manifest dump_reader)

clang=$(command -v clang++-14 || command -v clang++ || true)
if [[ -z $clang ]]; then
  echo "error: clang++ is not installed (Debian: apt-get install clang-14)" >&2
  exit 1
fi

build_targets() {
  local generator=()
  if [[ ! -f $build/CMakeCache.txt ]]; then
    generator=(-G Ninja)
  fi
  cmake -S . -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER="$clang" \
    -DVMOODLE_FUZZ=ON -DVMOODLE_BUILD_TESTS=OFF >/dev/null
  cmake --build "$build" --target "${@/#/fuzz_}"
}

export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:detect_leaks=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"

if [[ ${1:-} == --reproduce ]]; then
  [[ $# -ge 3 ]] || { echo "usage: $0 --reproduce TARGET FILE..." >&2; exit 64; }
  target=$2
  shift 2
  build_targets "$target"
  exec "$build/fuzz/fuzz_$target" -runs=1 "$@"
fi

which=${1:-all}
seconds=${2:-60}
if [[ $which == all ]]; then
  targets=("${all_targets[@]}")
elif [[ " ${all_targets[*]} " == *" $which "* ]]; then
  targets=("$which")
else
  echo "usage: $0 [manifest|dump_reader|all] [SECONDS]" >&2
  exit 64
fi

build_targets "${targets[@]}"
mkdir -p "$build/findings"
status=0
for target in "${targets[@]}"; do
  seeds=fuzz/corpus/$target
  work=$build/corpus/$target
  mkdir -p "$work"
  echo "==> fuzz_$target for ${seconds}s (seeds: $seeds)"
  # -max_len: manifests and dump statements are small; longer inputs only slow it down.
  # -timeout: one input over 60 s is a hang (the loader refuses the alias bombs in < 0.5 s in
  # a release build, 3-4 s of CPU with the fuzzer's instrumentation; the large bombs stay
  # out of the seeds: tests/hostile/ covers them).
  # -malloc_limit_mb: one allocation over 1 GB stops the run with the input saved
  # (the RSS limit alone can hang printing a heap profile before it saves the input).
  # pipefail: the fuzzer's status, not tail's.
  if ! "$build/fuzz/fuzz_$target" "$work" "$seeds" -max_total_time="$seconds" -max_len=16384 \
    -timeout=60 -rss_limit_mb=2048 -malloc_limit_mb=1024 -print_final_stats=1 -artifact_prefix="$build/findings/$target-" \
    -dict=fuzz/$target.dict 2>&1 | tail -n 25; then
    status=1
  fi
done
exit $status
