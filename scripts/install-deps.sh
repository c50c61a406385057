#!/usr/bin/env bash
# Installs the Debian 12 packages that vmoodle-apply needs to build, test and run the
# quick start. Does nothing (and needs no root) when they are all installed already.
# Runs apt-get as root, through sudo when not root. Never starts a system MariaDB: the
# tests and the quick start run their own private server (scripts/mariadb-sandbox.sh).
#
#   install-deps.sh [--bench]   # --bench: also mydumper/myloader, peers of scripts/bench.sh
set -euo pipefail

readonly packages=(
  build-essential cmake ninja-build pkg-config git clang-format
  libyaml-cpp-dev libgit2-dev default-libmysqlclient-dev libexpected-dev libgtest-dev
  libvalijson-dev nlohmann-json3-dev libcli11-dev libfmt-dev libssl-dev
  mariadb-server mariadb-client
  # The TLS integration tests make their CA and server certificate with the openssl CLI.
  openssl
  # Packaging: the man page (go-md2man), the .deb's Depends (dpkg-shlibdeps in dpkg-dev)
  # and scripts/check-package.sh (man).
  go-md2man dpkg-dev man-db
)
# Optional: peers that scripts/bench.sh measures when present and skips otherwise.
readonly bench_packages=(mydumper)
readonly policy_rc_d=/usr/sbin/policy-rc.d

die() {
  echo "install-deps: error: $*" >&2
  exit 1
}

wanted=("${packages[@]}")
case "${1:-}" in
'') ;;
--bench) wanted+=("${bench_packages[@]}") ;;
*) die "unknown argument '$1' (usage: install-deps.sh [--bench])" ;;
esac

missing=()
for package in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  if [[ "$status" != installed ]]; then
    missing+=("$package")
  fi
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#wanted[@]} packages are installed"
  exit 0
fi

command -v apt-get >/dev/null 2>&1 ||
  die "apt-get not found; install these packages with your package manager: ${missing[*]}"
if [[ -r /etc/os-release ]]; then
  # shellcheck disable=SC1091
  os_id=$(. /etc/os-release && echo "${ID:-}:${VERSION_ID:-}")
  if [[ "$os_id" != debian:12 ]]; then
    echo "install-deps: warning: made for Debian 12, this is ${os_id}; trying anyway" >&2
  fi
fi

as_root=()
if [[ "$(id -u)" != 0 ]]; then
  command -v sudo >/dev/null 2>&1 ||
    die "missing packages (${missing[*]}) and not root; run this script as root or install sudo"
  as_root=(sudo)
fi

# Debian's maintainer scripts start newly installed services unless policy-rc.d says no
# (exit 101). Put one in place for the duration of the install, unless one exists already.
made_policy=
remove_policy() {
  if [[ -n "$made_policy" ]]; then
    "${as_root[@]}" rm -f "$policy_rc_d"
  fi
}
trap remove_policy EXIT
if [[ ! -e "$policy_rc_d" ]]; then
  printf '#!/bin/sh\n# vmoodle-apply install-deps.sh: no service starts during this install\nexit 101\n' |
    "${as_root[@]}" tee "$policy_rc_d" >/dev/null
  "${as_root[@]}" chmod 755 "$policy_rc_d"
  made_policy=1
fi

echo "install-deps: installing ${missing[*]}"
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
  "${missing[@]}"
echo "install-deps: done"
