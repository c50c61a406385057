#!/usr/bin/env bash
# The quick start: builds vmoodle-apply, starts a private MariaDB in
# examples/quickstart/.run/, seeds a master Moodle and the template "base", then runs
#   vmoodle-apply plan  -f examples/quickstart/fleet.yaml
#   vmoodle-apply apply -f examples/quickstart/fleet.yaml --auto-approve
#   vmoodle-apply plan  -f examples/quickstart/fleet.yaml --detailed-exitcode   (must say "No changes")
# and shows what was made. Each run starts from scratch; the server is stopped on exit and
# the files are kept in examples/quickstart/.run/ for a look. Exits non-zero on any failure.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
readonly repo=$PWD
readonly example=examples/quickstart
readonly manifest=$example/fleet.yaml
readonly run_dir=$example/.run
readonly sandbox_dir=$run_dir/mariadb
readonly moodledata=$run_dir/moodledata
readonly cli=build/vmoodle-apply

current_step=''
step() {
  current_step=$1
  printf '\n==> %s\n' "$1"
}

sandbox_started=
finish() {
  local status=$?
  if [[ -n "$sandbox_started" ]]; then
    scripts/mariadb-sandbox.sh stop "$sandbox_dir" || true
  fi
  if ((status != 0)); then
    echo >&2
    echo "quickstart: FAILED while: ${current_step:-starting} (exit status $status)" >&2
  fi
}
trap finish EXIT

# Random per-run passwords: exported for the sandbox, the seed and vmoodle-apply (the
# manifest names these variables), never printed.
random_password() {
  local value
  value=$(head -c 48 /dev/urandom | base64 -w 0)
  value=${value//[^A-Za-z0-9]/}
  ((${#value} >= 24)) || return 1
  printf '%s' "${value:0:24}"
}

step "Installing the Debian packages (scripts/install-deps.sh)"
scripts/install-deps.sh

step "Building vmoodle-apply (Release, in build/)"
generator=()
if [[ ! -f build/CMakeCache.txt ]]; then
  generator=(-G Ninja)
fi
cmake -S . -B build "${generator[@]}" -DCMAKE_BUILD_TYPE=Release
cmake --build build --target vmoodle-apply

step "Starting a private MariaDB in $sandbox_dir"
if [[ -d "$run_dir" ]]; then
  scripts/mariadb-sandbox.sh stop "$sandbox_dir"
  rm -rf "$run_dir"
fi
mkdir -p "$sandbox_dir" "$moodledata/vhosts"
VMOODLE_SANDBOX_PASSWORD=$(random_password)
MOODLE_DB_PASSWORD=$(random_password)
export VMOODLE_SANDBOX_PASSWORD MOODLE_DB_PASSWORD
sandbox_started=1
endpoint=$(scripts/mariadb-sandbox.sh start "$sandbox_dir")
socket=$(sed -n 's/^socket=//p' <<<"$endpoint")
[[ -S "$socket" ]] || {
  echo "quickstart: the sandbox reported no usable socket:" >&2
  echo "$endpoint" >&2
  exit 1
}
echo "MariaDB is listening on $socket"

step "Seeding the master Moodle database and the template \"base\" (scripts/seed-fleet.sh)"
MYSQL_PWD=$VMOODLE_SANDBOX_PASSWORD scripts/seed-fleet.sh \
  --socket "$socket" --user vmoodle_admin \
  --master-db moodle --master-wwwroot https://moodle.example.org \
  --master-dataroot "$moodledata" \
  --template base --template-wwwroot https://template.example.org

step "vmoodle-apply plan -f $manifest"
"$cli" plan -f "$manifest"

step "vmoodle-apply apply -f $manifest --auto-approve"
"$cli" apply -f "$manifest" --auto-approve

step "vmoodle-apply plan -f $manifest --detailed-exitcode (expecting no changes)"
status=0
"$cli" plan -f "$manifest" --detailed-exitcode || status=$?
case $status in
0) ;;
2)
  echo "quickstart: the plan after apply still has changes: apply did not converge" >&2
  exit 1
  ;;
*) exit "$status" ;;
esac

step "What was made"
MYSQL_PWD=$VMOODLE_SANDBOX_PASSWORD mariadb --no-defaults --protocol=socket --socket="$socket" \
  --user=vmoodle_admin --default-character-set=utf8mb4 --table moodle \
  -e "SELECT vhostname, vdbname FROM mdl_local_vmoodle ORDER BY vhostname;"
echo
echo "Dataroots in $moodledata/vhosts:"
ls -l "$moodledata/vhosts"

current_step=''
cat <<EOF

Done. The files are kept in $repo/$run_dir; the server is stopped.
To look around, start it again with a password of your choice:
  VMOODLE_SANDBOX_PASSWORD=... scripts/mariadb-sandbox.sh start $sandbox_dir
EOF
