#!/usr/bin/env bash
# Builds vmoodle-apply and its tests with AddressSanitizer + UndefinedBehaviorSanitizer in
# build-asan/ and runs the unit tests, then (unless --unit-only) the integration tests,
# which also run the instrumented CLI. Any report stops the run (halt_on_error).
#
#   scripts/test-sanitized.sh [--unit-only] [-- extra gtest arguments]
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

unit_only=no
gtest_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --unit-only) unit_only=yes ;;
    --) shift; gtest_args=("$@"); break ;;
    *) echo "usage: $0 [--unit-only] [-- gtest arguments]" >&2; exit 64 ;;
  esac
  shift
done

build=build-asan
generator=()
if [[ ! -f $build/CMakeCache.txt ]]; then
  generator=(-G Ninja)
fi
start=$SECONDS
echo "==> Configuring and building in $build/ (VMOODLE_SANITIZE=ON)"
cmake -S . -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Debug \
  -DVMOODLE_BUILD_TESTS=ON -DVMOODLE_SANITIZE=ON
# The two test binaries and the CLI they run; the benchmark is checked by the plain build.
cmake --build "$build" --target vmoodle_unit_tests vmoodle_integration_tests vmoodle-apply
echo "==> Built in $((SECONDS - start)) s"

# Child processes (the CLI the integration tests start) inherit these. Leak checking
# stays on; suppressions cover what the C libraries keep until exit on purpose.
export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export LSAN_OPTIONS="suppressions=$PWD/scripts/lsan-suppressions.txt:print_suppressions=0"

start=$SECONDS
echo "==> Unit tests under ASan+UBSan"
"$build/tests/vmoodle_unit_tests" "${gtest_args[@]}"
echo "==> Unit tests took $((SECONDS - start)) s"

if [[ $unit_only == no ]]; then
  start=$SECONDS
  echo "==> Integration tests under ASan+UBSan, in two halves at once"
  # Each test starts a server of its own; instrumented code is slow enough that one
  # process leaves a core idle while the other waits on its server (docs/reliability.md).
  logs=$(mktemp -d)
  trap 'rm -rf "$logs"' EXIT
  pids=()
  for shard in 0 1; do
    GTEST_TOTAL_SHARDS=2 GTEST_SHARD_INDEX=$shard \
      "$build/integration/vmoodle_integration_tests" "${gtest_args[@]}" >"$logs/$shard.log" 2>&1 &
    pids+=($!)
  done
  failed=no
  for shard in 0 1; do
    if ! wait "${pids[$shard]}"; then
      failed=yes
    fi
    echo "---- integration tests, half $((shard + 1)) of 2"
    cat "$logs/$shard.log"
  done
  echo "==> Integration tests took $((SECONDS - start)) s"
  if [[ $failed == yes ]]; then
    echo "test-sanitized: integration tests failed (above)" >&2
    exit 1
  fi
fi
