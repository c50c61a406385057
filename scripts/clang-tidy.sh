#!/usr/bin/env bash
# Runs clang-tidy (.clang-tidy at the top of the repository) over every .cpp under src/,
# using the compile_commands.json of a build directory (default: build/; configure it
# first, e.g. `cmake -S . -B build -G Ninja`). Exits 1 when clang-tidy reports anything.
#
#   scripts/clang-tidy.sh [BUILD_DIR] [FILE...]
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

build=${1:-build}
shift || true
if [[ ! -f $build/compile_commands.json ]]; then
  echo "error: $build/compile_commands.json not found; configure that build first" >&2
  exit 1
fi
tidy=$(command -v clang-tidy || command -v clang-tidy-14 || true)
if [[ -z $tidy ]]; then
  echo "error: clang-tidy is not installed (Debian: apt-get install clang-tidy)" >&2
  exit 1
fi

if [[ $# -gt 0 ]]; then
  files=("$@")
else
  mapfile -t files < <(find src -name '*.cpp' | sort)
fi

# GCC-only flags in the compile database mean nothing to clang: tolerate them.
report=$(mktemp)
trap 'rm -f "$report"' EXIT
printf '%s\n' "${files[@]}" |
  xargs -P "$(nproc)" -n 4 "$tidy" -p "$build" --quiet --extra-arg=-Wno-unknown-warning-option \
    --extra-arg=-Wno-unused-command-line-argument 2>/dev/null >"$report" || true

findings=$(grep -cE '^[^ ].*:[0-9]+:[0-9]+: (warning|error):' "$report" || true)
cat "$report"
echo "==> clang-tidy: ${findings} finding(s) in ${#files[@]} file(s)"
[[ $findings -eq 0 ]]
