#!/usr/bin/env bash
# A throwaway PostgreSQL 15 for the tests: a cluster in a temporary folder, on 127.0.0.1, trust authentication.
#   tests/postgres.sh start   prints the line to export, e.g. DAILYPAPERS_TEST_POSTGRES='Host=127.0.0.1;Port=55440;…'
#   tests/postgres.sh stop    stops it and deletes the folder
# PGPORT (default 55440) and PGROOT (default /tmp/dailypapers-postgres) move it. initdb and pg_ctl refuse to run as
# root, so as root they run as the user postgres (Debian's packages create it).
set -euo pipefail
PORT="${PGPORT:-55440}"
ROOT="${PGROOT:-/tmp/dailypapers-postgres}"
BIN="${PGBIN:-/usr/lib/postgresql/15/bin}"
as_owner() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$1"; else bash -c "$1"; fi; }

case "${1:-}" in
  start)
    [ -x "$BIN/initdb" ] || { echo "no PostgreSQL 15 at $BIN: apt-get install postgresql-15" >&2; exit 1; }
    if [ ! -f "$ROOT/data/PG_VERSION" ]; then
      mkdir -p "$ROOT"
      [ "$(id -u)" = 0 ] && chown postgres "$ROOT"
      # C.UTF-8: text sorts by code point, as in SQLite, whatever the machine's locale.
      as_owner "'$BIN/initdb' -D '$ROOT/data' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >'$ROOT/initdb.log'"
    fi
    # fsync off: a test cluster that crashes is thrown away, and the tests create a database each.
    as_owner "'$BIN/pg_ctl' -D '$ROOT/data' -l '$ROOT/pg.log' -w start \
      -o \"-p $PORT -c listen_addresses=127.0.0.1 -k '$ROOT' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300\"" >/dev/null
    echo "export DAILYPAPERS_TEST_POSTGRES='Host=127.0.0.1;Port=$PORT;Username=postgres;Database=postgres'"
    ;;
  stop)
    [ -f "$ROOT/data/PG_VERSION" ] && as_owner "'$BIN/pg_ctl' -D '$ROOT/data' -m fast -w stop" >/dev/null || true
    rm -rf "$ROOT"
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
