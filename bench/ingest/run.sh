#!/usr/bin/env bash
# Benchmark of ingest-service (docs/benchmarks-ingest.md). The service is pinned to ONE core
# (taskset -c 0) with -Xmx256m; the load generator and the fake Azure run on the other core.
# Usage: bench/ingest/run.sh   (from anywhere; builds what is missing; results in bench/results/ingest/)
#   SCENARIOS="store azure flood" (default: all), INGEST_JAR=path/to/quarkus-run.jar (default: this
#   tree's), STORE_OPTS="-Dkubefim.ingest.store.fsync=false" (extra options of the store scenario),
#   NAME=store (result file name of the store scenario), STORE_DB=h2|postgresql (the store's database:
#   postgresql starts a throw-away cluster of Debian's server on the other core, as the tests do),
#   SINGLES_SECONDS=30 (the singles scenario: wrk, 200 connections, one event per batch; needs wrk).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MOD=$ROOT/ingest-service
WORK=$ROOT/bench/work/ingest
OUT=$ROOT/bench/results/ingest
PORT=${PORT:-18180}
BATCHES=${BATCHES:-200}
SCENARIOS=${SCENARIOS:-store singles azure flood}
STORE_DB=${STORE_DB:-h2}
[ -n "${FLOOD_ONLY:-}" ] && SCENARIOS=flood
JAR=${INGEST_JAR:-$MOD/target/quarkus-app/quarkus-run.jar}
NAME=${NAME:-store}
want() { [[ " $SCENARIOS " == *" $1 "* ]]; }
SIZE=${SIZE:-500}
mkdir -p "$WORK" "$OUT"
cd "$ROOT"
if [ ! -f "$JAR" ] || { want azure && [ ! -d "$MOD/target/test-classes" ]; }; then
  # the reactor builds api from this tree; nothing goes into ~/.m2
  mvn -B -q -pl api,ingest-service -am package -DskipTests
fi
CP_FILE=$WORK/test-cp.txt
want azure && [ ! -f "$CP_FILE" ] && mvn -B -q -pl ingest-service dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test
PIDS=()
PG_DB_OPTS=()
# shellcheck source=../lib/postgres.sh
. "$ROOT/bench/lib/postgres.sh"
cleanup() { for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; pg_stop; }
trap cleanup EXIT

[ "$STORE_DB" = postgresql ] && pg_start 1  # on core 1, the load generator's
start_ingest() { # name, extra -D options...
  local name=$1; shift
  rm -rf "$WORK/h2-$name"; pg_reset
  # the load generator sends no token: agent authentication off (never in a cluster)
  taskset -c 0 java -Xmx256m -XX:+ExitOnOutOfMemoryError -Dquarkus.http.port=$PORT -Dkubefim.auth.mode=none -Dkubefim.readers.mode=open \
    -Dquarkus.datasource.jdbc.url="jdbc:h2:file:$WORK/h2-$name/events" "${PG_DB_OPTS[@]}" "$@" \
    -jar "$JAR" >"$OUT/$name-ingest.out" 2>"$OUT/$name-ingest.log" &
  INGEST_PID=$!; PIDS+=("$INGEST_PID")
  for _ in $(seq 1 120); do curl -sf "localhost:$PORT/q/health/ready" >/dev/null && return 0; sleep 0.5; done
  echo "ingest did not start" >&2; tail -20 "$OUT/$name-ingest.log" >&2; exit 1
}
stop_ingest() { kill "$INGEST_PID"; wait "$INGEST_PID" 2>/dev/null || true; }
# CPU seconds (user + system) a process has used: which side of a run was busy
cpu_of() { awk '{printf "%.1f", ($14 + $15) / 100}' "/proc/$1/stat"; }
# prints {"serviceCpuSeconds":..,"databaseCpuSeconds":..} for the run between mark_cpu and it
mark_cpu() { CPU0=$(cpu_of "$INGEST_PID"); DB0=$(pg_cpu); }
report_cpu() {
  echo "{\"serviceCpuSeconds\":$(awk "BEGIN{print $(cpu_of "$INGEST_PID") - $CPU0}"),\"databaseCpuSeconds\":$(awk "BEGIN{print $(pg_cpu) - $DB0}")}"
}
load() { taskset -c 1 java "$ROOT/bench/ingest/Load.java" "http://localhost:$PORT/v1/events" "$@"; }

if want store; then
echo "== store ($STORE_DB), 1 core: $JAR ${STORE_OPTS:-}"
# shellcheck disable=SC2086
start_ingest "$NAME" -Dkubefim.ingest.sinks=store ${STORE_OPTS:-}
load 20 $SIZE 4 >/dev/null   # warm-up
mark_cpu
load "$BATCHES" "$SIZE" 4 | tee "$OUT/$NAME.json"
report_cpu | tee "$OUT/$NAME-cpu.json"
curl -s "localhost:$PORT/v1/summary" | head -c 200; echo
stop_ingest
[ "$STORE_DB" = h2 ] && echo "{\"h2FileBytes\":$(du -cb "$WORK/h2-$NAME"/*.db | tail -1 | cut -f1),\"events\":$(( (BATCHES + 20) * SIZE ))}" | tee "$OUT/$NAME-size.json"
fi

if want singles; then
echo "== singles ($STORE_DB store), 1 core: wrk, 200 connections, one event per batch, ${SINGLES_SECONDS:-30} s"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
# shellcheck disable=SC2086
start_ingest "singles-$NAME" -Dkubefim.ingest.sinks=store ${STORE_OPTS:-}
taskset -c 1 wrk -t2 -c200 -d"${SINGLES_WARMUP:-5}s" -s "$ROOT/bench/ingest/single-event.lua" "http://localhost:$PORT/v1/events" >/dev/null  # warm-up (the JIT)
mark_cpu
taskset -c 1 wrk -t2 -c200 -d"${SINGLES_SECONDS:-30}s" -s "$ROOT/bench/ingest/single-event.lua" "http://localhost:$PORT/v1/events" \
  | tail -1 | tee "$OUT/singles-$NAME.json"
report_cpu | tee "$OUT/singles-$NAME-cpu.json"
stop_ingest
fi

if want azure; then
echo "== azure (HTTPS fake, real SDK), 1 core"
taskset -c 1 java -cp "$MOD/target/test-classes:$(cat "$CP_FILE")" -Dkubefim.test.tls-dir="$WORK/tls" \
  io.kubefim.ingest.azure.fake.FakeLogsIngestionMain "$ROOT/deploy/azure/kubefim-azure.json" "$WORK/tls" \
  >"$WORK/fake.url" 2>"$OUT/azure-fake.log" &
PIDS+=("$!")
for _ in $(seq 1 60); do [ -s "$WORK/fake.url" ] && break; sleep 0.5; done
FAKE=$(head -1 "$WORK/fake.url")
start_ingest azure -Dkubefim.ingest.sinks=azure -Dquarkus.datasource.active=false \
  -Djavax.net.ssl.trustStore="$WORK/tls/truststore.p12" -Djavax.net.ssl.trustStorePassword=changeit \
  -Dkubefim.ingest.azure.endpoint="$FAKE" -Dkubefim.ingest.azure.rule-id=dcr-00000000000000000000000000000001 \
  -Dkubefim.ingest.azure.tenant-id=11111111-2222-3333-4444-555555555555 -Dkubefim.ingest.azure.client-id=bench \
  -Dkubefim.ingest.azure.authority-host="$FAKE/" -Dkubefim.ingest.azure.federated-token-file="$WORK/tls/sa-token" \
  -Dkubefim.ingest.azure.disable-instance-discovery=true
load 20 $SIZE 4 >/dev/null
load "$BATCHES" "$SIZE" 4 | tee "$OUT/azure.json"
sleep 6; tail -1 "$OUT/azure-fake.log"
stop_ingest
fi

if want flood; then
echo "== flood: 64 clients, ~4 MB batches, no retry; must refuse with 429/503, never OOM"
start_ingest flood -Dkubefim.ingest.sinks=store
( peak=0; while kill -0 "$INGEST_PID" 2>/dev/null; do
    r=$(awk '/VmRSS/{print $2}' /proc/$INGEST_PID/status 2>/dev/null || echo 0); [ "${r:-0}" -gt "$peak" ] && peak=$r
    echo "$peak" >"$WORK/rss.peak"; sleep 0.2; done ) &
PIDS+=("$!")
load 400 4000 64 0 noretry | tee "$OUT/flood.json"
HEAP=$(curl -s "localhost:$PORT/q/metrics" | awk '/^jvm_gc_max_data_size_bytes/{print $2}' || true)
echo "{\"peakRssMiB\":$(( $(cat "$WORK/rss.peak" 2>/dev/null || echo 0) / 1024 )),\"maxHeapBytes\":\"${HEAP}\",\"alive\":$(curl -sf localhost:$PORT/q/health/ready >/dev/null && echo true || echo false),\"oom\":$(grep -c OutOfMemoryError "$OUT/flood-ingest.log" || true)}" | tee "$OUT/flood-memory.json"
stop_ingest
fi
