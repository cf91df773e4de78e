#!/usr/bin/env bash
# Start (or stop) a throwaway PostgreSQL server on 127.0.0.1 for the test suite.
# Usage: scripts/pg_test_server.sh start|stop   (prints the SQLAlchemy URL on start)
# initdb refuses to run as root, so the server runs as the `postgres` user.
set -euo pipefail
PORT="${SJGK_PG_PORT:-55432}"
STATE=/tmp/sjgk-pg-test
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-start}" in
  start)
    [ -n "$PGBIN" ] || { echo "postgresql is not installed" >&2; exit 1; }
    if [ -f "$STATE/data/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$STATE/data" status >/dev/null 2>&1; then
      echo "postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres"; exit 0
    fi
    rm -rf "$STATE"; mkdir -p "$STATE"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$STATE"
    as_pg "$PGBIN/initdb" -D "$STATE/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$STATE/initdb.log" 2>&1
    as_pg "$PGBIN/pg_ctl" -D "$STATE/data" -l "$STATE/log" -w -t 30 start \
      -o "-c listen_addresses=127.0.0.1 -p $PORT -k $STATE -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null
    echo "postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres"
    ;;
  stop)
    [ -d "$STATE/data" ] && as_pg "$PGBIN/pg_ctl" -D "$STATE/data" -m fast stop >/dev/null 2>&1 || true
    ;;
esac
