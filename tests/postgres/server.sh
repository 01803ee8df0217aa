#!/usr/bin/env bash
# A throwaway PostgreSQL server on loopback for the ledger tests and benchmarks.
#   tests/postgres/server.sh start   installs PostgreSQL when missing (Debian, as root), creates a
#                                    cluster under $PGTEST_DIR (default: /tmp/routeguard-pg), starts
#                                    it on 127.0.0.1:$PGTEST_PORT (default 54329) and prints the URL
#   tests/postgres/server.sh stop    stops it
#   tests/postgres/server.sh url     prints the URL
# `make test` and `make bench` call it; `ROUTEGUARD_TEST_POSTGRES` set beforehand wins (an
# existing server), and the script is then not needed.
set -euo pipefail
dir=${PGTEST_DIR:-/tmp/routeguard-pg}
port=${PGTEST_PORT:-54329}
url="postgres://routeguard@127.0.0.1:$port/routeguard"

bin_dir() {
  local d
  for d in /usr/lib/postgresql/*/bin; do [[ -x $d/initdb ]] && { echo "$d"; return; }; done
  command -v initdb >/dev/null && dirname "$(command -v initdb)"
}

# The server refuses to run as root: run it as the `postgres` user the package creates.
as_owner() {
  if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-start}" in
start)
  if [[ -z $(bin_dir) ]]; then
    if command -v apt-get >/dev/null && [[ $(id -u) == 0 ]]; then
      echo "== postgres: installing (apt-get)" >&2
      # A fresh machine may have no package lists yet.
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2 ||
        { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2; }
    else
      echo "tests/postgres/server.sh: PostgreSQL is not installed; install it or set ROUTEGUARD_TEST_POSTGRES" >&2
      exit 1
    fi
  fi
  bin=$(bin_dir)
  if [[ $(id -u) == 0 ]] && ! id postgres >/dev/null 2>&1; then
    useradd --system --no-create-home postgres
  fi
  if ! as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    rm -rf "$dir"; mkdir -p "$dir"
    [[ $(id -u) == 0 ]] && chown postgres "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U routeguard --auth=trust >"$dir/initdb.log"
    # Loopback only; sockets in the cluster's own directory (no /var/run permissions needed).
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=300" start >&2
    as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U routeguard routeguard
  fi
  echo "$url"
  ;;
stop)
  bin=$(bin_dir)
  as_owner "$bin/pg_ctl" -D "$dir/data" -m fast stop >&2 || true
  ;;
url) echo "$url" ;;
*) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
