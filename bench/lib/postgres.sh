# Sourced by the benchmark scripts: a throw-away PostgreSQL cluster of Debian's server (initdb
# refuses root: it runs as user postgres), on the core given, for one benchmark run.
#   pg_start CORE   sets PG_PORT and PG_DB_OPTS (the ingest-service options that point its store at it)
#   pg_reset        an empty database (for each scenario)
#   pg_stop         stops the cluster and removes its files (also safe when none was started)
#   pg_cpu          CPU seconds the cluster has used so far
pg_start() {
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  PG_DIR=$(mktemp -d /tmp/kubefim-bench-pg.XXXX); chown postgres:postgres "$PG_DIR"
  PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres >/dev/null
  runuser -u postgres -- taskset -c "$1" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=50" start >/dev/null
  PG_DB_OPTS=(-Dquarkus.datasource.active=false -Dquarkus.datasource.postgresql.active=true
    -Dkubefim.ingest.store.datasource=postgresql -Dquarkus.datasource.postgresql.username=postgres
    "-Dquarkus.datasource.postgresql.jdbc.url=jdbc:postgresql://127.0.0.1:$PG_PORT/postgres")
}
pg_reset() {
  [ -n "${PG_PORT:-}" ] || return 0
  "$PG_BIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c 'DROP SCHEMA public CASCADE; CREATE SCHEMA public;' >/dev/null
}
pg_stop() {
  [ -n "${PG_DIR:-}" ] || return 0
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"; PG_DIR=
}
# CPU seconds (user + system) the cluster's processes have used so far; 0 without a cluster. Backends
# that ended are counted in the postmaster's cumulative children times (fields 16, 17).
pg_cpu() {
  [ -n "${PG_DIR:-}" ] && [ -f "$PG_DIR/data/postmaster.pid" ] || { echo 0; return; }
  local pm; pm=$(head -1 "$PG_DIR/data/postmaster.pid")
  { cat "/proc/$pm/stat"; for c in $(pgrep -P "$pm"); do cat "/proc/$c/stat" 2>/dev/null; done; } |
    awk -v pm="$pm" '{t += $14 + $15; if ($1 == pm) t += $16 + $17} END {printf "%.1f", t / 100}'
}
