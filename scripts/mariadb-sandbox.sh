#!/usr/bin/env bash
# A throw-away MariaDB server in a directory of its own, for the integration tests
# and for trying vmoodle-apply by hand. Nothing system-wide: no service, no /etc.
#
#   VMOODLE_SANDBOX_PASSWORD=... mariadb-sandbox.sh start DIR   # prints socket=... and port=...
#   mariadb-sandbox.sh stop DIR
#   mariadb-sandbox.sh status DIR
#
# `start` creates the account vmoodle_admin (@localhost and @127.0.0.1, ALL PRIVILEGES
# WITH GRANT OPTION) with the password from VMOODLE_SANDBOX_PASSWORD. The server listens
# on DIR/mysqld.sock and on 127.0.0.1:PORT, PORT from VMOODLE_SANDBOX_PORT or a free one.
# With VMOODLE_SANDBOX_TLS_DIR set, the server offers TLS with ca.pem, server-cert.pem and
# server-key.pem from that directory.
set -euo pipefail

readonly k_ready_timeout=60
readonly k_stop_timeout=60
readonly k_max_socket_path=100 # sun_path holds 108 bytes; leave room

die() {
  echo "mariadb-sandbox: $*" >&2
  exit 1
}

usage() {
  echo "usage: $0 start|stop|status DIR" >&2
  exit 64
}

# mariadbd lives in /usr/sbin on Debian, which is not on every user's PATH.
find_program() {
  local name=$1 dir
  if command -v "$name" >/dev/null 2>&1; then
    command -v "$name"
    return 0
  fi
  for dir in /usr/sbin /usr/libexec /usr/local/sbin /usr/local/bin; do
    if [[ -x "$dir/$name" ]]; then
      echo "$dir/$name"
      return 0
    fi
  done
  die "cannot find $name; install the MariaDB server package (mariadb-server)"
}

# Whether `pid` is a live process; a zombie (dead, not yet reaped) does not count.
alive() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ "${stat:0:1}" != Z ]]
}

# The pid of the sandbox server when it is running, else nothing.
running_pid() {
  local pid_file=$1/mysqld.pid pid
  [[ -f "$pid_file" ]] || return 0
  pid=$(<"$pid_file")
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  # A pid can be reused by an unrelated process after a crash: check what it is.
  if alive "$pid" && [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == mariadbd* ]]; then
    echo "$pid"
  fi
}

print_endpoint() {
  echo "socket=$1/mysqld.sock"
  echo "port=$(<"$1/port")"
}

free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
    return 0
  fi
  local port attempt
  for attempt in $(seq 1 50); do
    port=$((20000 + RANDOM % 40000))
    # A refused connection means nobody listens there.
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  die "cannot find a free TCP port; set VMOODLE_SANDBOX_PORT"
}

# Doubles quotes and backslashes so that any password is one SQL string literal.
sql_string() {
  local value=$1
  value=${value//\\/\\\\}
  value=${value//\'/\'\'}
  printf "'%s'" "$value"
}

write_init_file() {
  local file=$1 password
  password=$(sql_string "$VMOODLE_SANDBOX_PASSWORD")
  # Written 0600 before any byte of the password goes in; removed once the server is up.
  (
    umask 077
    {
      local host
      for host in localhost 127.0.0.1; do
        echo "CREATE OR REPLACE USER 'vmoodle_admin'@'$host' IDENTIFIED BY $password;"
        echo "GRANT ALL PRIVILEGES ON *.* TO 'vmoodle_admin'@'$host' WITH GRANT OPTION;"
      done
    } >"$file"
  )
}

# Waits for the server started as `pid`; returns 1 when it died or timed out.
wait_ready() {
  local dir=$1 pid=$2 admin deadline
  admin=$(find_program mariadb-admin)
  deadline=$((SECONDS + k_ready_timeout))
  while ((SECONDS < deadline)); do
    if ! alive "$pid"; then
      return 1
    fi
    # `ping` answers as soon as the server accepts connections, and the init file has
    # run by then; MYSQL_PWD keeps the password off the command line.
    if MYSQL_PWD=$VMOODLE_SANDBOX_PASSWORD "$admin" --no-defaults --protocol=socket \
      --socket="$dir/mysqld.sock" --user=vmoodle_admin --connect-timeout=1 ping \
      >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.1
  done
  return 1
}

check_socket_path() {
  local socket=$1/mysqld.sock
  if ((${#socket} > k_max_socket_path)); then
    die "socket path $socket is ${#socket} bytes, over the $k_max_socket_path a Unix socket allows; use a shorter DIR"
  fi
}

start() {
  local dir=$1
  [[ "$dir" == /* ]] || dir=$PWD/$dir
  check_socket_path "$dir"
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd -P)
  check_socket_path "$dir"
  local socket=$dir/mysqld.sock
  if [[ -n "$(running_pid "$dir")" ]]; then
    print_endpoint "$dir"
    return 0
  fi
  [[ -n "${VMOODLE_SANDBOX_PASSWORD:-}" ]] ||
    die "VMOODLE_SANDBOX_PASSWORD is not set; export the password the vmoodle_admin account should get"

  local as_root=()
  if [[ "$(id -u)" == 0 ]]; then
    as_root=(--user=root)
  fi

  if [[ ! -d "$dir/data/mysql" ]]; then
    local install_db
    install_db=$(find_program mariadb-install-db)
    rm -rf "$dir/data"
    # A private tmpdir: servers sharing /tmp can collide on temporary table names.
    mkdir -p "$dir/tmp"
    if ! "$install_db" --no-defaults --datadir="$dir/data" --auth-root-authentication-method=normal \
      --skip-test-db --skip-name-resolve --tmpdir="$dir/tmp" "${as_root[@]}" \
      >"$dir/install.log" 2>&1; then
      tail -n 30 "$dir/install.log" >&2
      die "mariadb-install-db failed (log: $dir/install.log)"
    fi
  fi

  local mariadbd init_file=$dir/init.sql port pid attempt tls=()
  mariadbd=$(find_program mariadbd)
  if [[ -n "${VMOODLE_SANDBOX_TLS_DIR:-}" ]]; then
    local tls_dir=$VMOODLE_SANDBOX_TLS_DIR
    tls=(--ssl-ca="$tls_dir/ca.pem" --ssl-cert="$tls_dir/server-cert.pem"
      --ssl-key="$tls_dir/server-key.pem")
  fi
  mkdir -p "$dir/tmp"
  write_init_file "$init_file"
  trap "rm -f -- $(printf %q "$init_file")" EXIT
  # A port picked free can be taken before the server binds it: retry with another.
  for attempt in 1 2 3; do
    port=${VMOODLE_SANDBOX_PORT:-$(free_port)}
    echo "$port" >"$dir/port"
    : >"$dir/error.log"
    "$mariadbd" --no-defaults --datadir="$dir/data" --socket="$socket" \
      --pid-file="$dir/mysqld.pid" --port="$port" --bind-address=127.0.0.1 \
      --log-error="$dir/error.log" --skip-log-bin --innodb-buffer-pool-size=256M \
      --innodb-flush-log-at-trx-commit=2 --innodb-doublewrite=0 --skip-name-resolve \
      --tmpdir="$dir/tmp" "${tls[@]}" \
      --init-file="$init_file" "${as_root[@]}" </dev/null >/dev/null 2>&1 &
    pid=$!
    if wait_ready "$dir" "$pid"; then
      rm -f "$init_file"
      print_endpoint "$dir"
      return 0
    fi
    if alive "$pid"; then
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    if [[ -n "${VMOODLE_SANDBOX_PORT:-}" ]] || ! grep -q 'Bind on TCP/IP port' "$dir/error.log"; then
      break
    fi
  done
  tail -n 30 "$dir/error.log" >&2
  die "the server in $dir did not become ready (it stopped, or ${k_ready_timeout}s passed); log: $dir/error.log"
}

stop() {
  local dir=$1 pid deadline
  [[ -d "$dir" ]] || return 0
  pid=$(running_pid "$dir")
  [[ -n "$pid" ]] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  deadline=$((SECONDS + k_stop_timeout))
  while alive "$pid" && ((SECONDS < deadline)); do
    sleep 0.1
  done
  if alive "$pid"; then
    echo "mariadb-sandbox: server $pid did not stop within ${k_stop_timeout}s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
    while alive "$pid"; do
      sleep 0.1
    done
  fi
}

status() {
  local dir=$1 pid
  pid=$(running_pid "$dir")
  if [[ -n "$pid" ]]; then
    echo "running pid=$pid"
    print_endpoint "$(cd "$dir" && pwd -P)"
  else
    echo "stopped"
    return 3
  fi
}

(($# == 2)) || usage
case "$1" in
start) start "$2" ;;
stop) stop "$2" ;;
status) status "$2" ;;
*) usage ;;
esac
