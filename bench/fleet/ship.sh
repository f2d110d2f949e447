#!/usr/bin/env bash
# Fleet shipping benchmark of ingest-service (issue 16, docs/benchmarks-fleet.md): AGENTS simulated
# agents (bench/fleet/ShipSim.java) each record RATE events a second for SECONDS and ship them to
# one ingest-service replica as the agent's outbox drainer does (all pending in one batch, Retry-After
# honoured), then drain. Checks that nothing is lost: every recorded event was acknowledged and the
# store holds exactly that many. ingest-service on core 0 (-Xmx512m, store sink, agent
# authentication off: never in a cluster), the simulator on core 1 (and PostgreSQL with it).
# Usage: bench/fleet/ship.sh   AGENTS=5000 RATE=1 SECONDS_=60 DRAIN=120 STORE_DB="h2 postgresql"
#        INGEST_JAR=path/to/quarkus-run.jar (default: this tree's) PORT=18282
#        INGEST_OPTS="-Dkubefim.ingest.pipeline.max-in-flight-batches=1000" (more -D options of the service)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$ROOT/bench/work/fleet-ship
OUT=$ROOT/bench/results/fleet
PORT=${PORT:-18282}
AGENTS=${AGENTS:-5000}
RATE=${RATE:-1}
SECS=${SECONDS_:-60}
DRAIN=${DRAIN:-120}
DBS=${STORE_DB:-h2 postgresql}
JAR=${INGEST_JAR:-$ROOT/ingest-service/target/quarkus-app/quarkus-run.jar}
mkdir -p "$WORK" "$OUT"
cd "$ROOT"
[ -f "$JAR" ] || mvn -B -q -pl api,ingest-service -am package -DskipTests
# one connection per agent in flight, both ends on this machine
ulimit -n 1048576 2>/dev/null || ulimit -n "$(ulimit -Hn)"
PID=
PG_DB_OPTS=()
# shellcheck source=../lib/postgres.sh
. "$ROOT/bench/lib/postgres.sh"
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null || true; pg_stop; }
trap cleanup EXIT
for db in $DBS; do
  PG_DB_OPTS=()
  [ "$db" = postgresql ] && pg_start 1
  rm -rf "$WORK/h2"
  taskset -c 0 java -Xmx512m -XX:+ExitOnOutOfMemoryError -Dquarkus.http.port=$PORT \
    -Dkubefim.auth.mode=none -Dkubefim.readers.mode=open -Dkubefim.ingest.sinks=store \
    -Dquarkus.datasource.jdbc.url="jdbc:h2:file:$WORK/h2/events" "${PG_DB_OPTS[@]}" \
    -Dquarkus.log.level=WARN ${INGEST_OPTS:-} -jar "$JAR" >"$OUT/ship-$db.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 120); do curl -sf "localhost:$PORT/q/health/ready" >/dev/null && break; sleep 0.5; done
  ( while kill -0 "$PID" 2>/dev/null; do
      awk '/VmRSS/{print $2}' "/proc/$PID/status" 2>/dev/null || true; sleep 0.5
    done ) >"$WORK/rss-$db.txt" &
  sampler=$!
  cpu0=$(awk '{print $14+$15}' "/proc/$PID/stat")
  result=$(taskset -c 1 java -Xmx2g "$ROOT/bench/fleet/ShipSim.java" "http://127.0.0.1:$PORT/v1/events" \
    "$AGENTS" "$RATE" "$SECS" "$DRAIN")
  cpu=$(( $(awk '{print $14+$15}' "/proc/$PID/stat") - cpu0 ))
  stored=$(curl -s "localhost:$PORT/v1/summary" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
  wait "$sampler" 2>/dev/null || true
  pg_stop
  peak=$(sort -n "$WORK/rss-$db.txt" | tail -1)
  echo "${result%\}},\"store\":\"$db\",\"stored\":$stored,\"ingestCpuSeconds\":$(( cpu / $(getconf CLK_TCK) )),\"ingestPeakRssMiB\":$((peak / 1024))}" \
    | tee "$OUT/ship-$AGENTS-$db.json"
done
