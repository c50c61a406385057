#!/usr/bin/env bash
# Builds vmoodle-apply with its tests and runs them all: the unit tests and the integration
# tests (which start their own private MariaDB; no system database server is used).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

echo "==> Installing the Debian packages (scripts/install-deps.sh)"
scripts/install-deps.sh

echo "==> Configuring and building in build/"
generator=()
if [[ ! -f build/CMakeCache.txt ]]; then
  generator=(-G Ninja)
fi
# Release like scripts/quickstart.sh, so that the two share one build directory.
cmake -S . -B build "${generator[@]}" -DCMAKE_BUILD_TYPE=Release -DVMOODLE_BUILD_TESTS=ON
cmake --build build

echo "==> Running the tests"
ctest --test-dir build --output-on-failure --parallel "$(nproc)"
