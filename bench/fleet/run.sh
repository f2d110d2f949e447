#!/usr/bin/env bash
# Fleet benchmark of config-service (issue 16, docs/benchmarks-fleet.md): AGENTS simulated agents
# long-poll one config-service (directory source, agent authentication off: never in a cluster),
# then the policy file is edited; reports how long until every agent holds the new config, and
# config-service's peak RSS. config-service on core 0 (-Xmx384m), the simulator on core 1.
# Usage: bench/fleet/run.sh            AGENTS="5000 20000" (default), PORT=18281, XMX=384m, CONFIG_JAR=path/to/quarkus-run.jar (default: this tree's)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$ROOT/bench/work/fleet
OUT=$ROOT/bench/results/fleet
PORT=${PORT:-18281}
AGENTS=${AGENTS:-5000 20000}
XMX=${XMX:-384m}
JAR=${CONFIG_JAR:-$ROOT/config-service/target/quarkus-app/quarkus-run.jar}
mkdir -p "$WORK" "$OUT"
cd "$ROOT"
[ -f "$JAR" ] || mvn -B -q -pl api,config-service -am package -DskipTests
# one connection per agent, both ends on this machine: each side needs AGENTS descriptors
ulimit -n 1048576 2>/dev/null || ulimit -n "$(ulimit -Hn)"
for n in $AGENTS; do
  if [ "$n" -gt $(( $(ulimit -n) - 1000 )) ]; then
    echo "fleet: $n agents need more than this machine's open-file limit ($(ulimit -n), hard $(ulimit -Hn)) per process; skipped" >&2
  fi
done
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null || true; }
trap cleanup EXIT
for n in $AGENTS; do
  [ "$n" -gt $(( $(ulimit -n) - 1000 )) ] && continue
  rm -rf "$WORK/policies" && mkdir -p "$WORK/policies"
  sed 's/^  tags:/  tags:\n    bench-generation: a/' examples/policies/linux-recommended.yaml >"$WORK/policies/p.yaml"
  grep -q 'bench-generation: a' "$WORK/policies/p.yaml" || { echo "policy fixture has no tags block" >&2; exit 1; }
  taskset -c 0 java -Xmx$XMX -XX:+ExitOnOutOfMemoryError -Dquarkus.http.port=$PORT \
    -Dkubefim.config.source=directory -Dkubefim.config.policies-dir="$WORK/policies" \
    -Dkubefim.auth.mode=none -Dquarkus.log.level=WARN -jar "$JAR" >"$OUT/config-$n.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 120); do curl -sf "localhost:$PORT/q/health/ready" >/dev/null && break; sleep 0.5; done
  peak=0
  ( while kill -0 "$PID" 2>/dev/null; do
      r=$(awk '/VmRSS/{print $2}' "/proc/$PID/status" 2>/dev/null || echo 0)
      echo "$r"; sleep 0.2
    done ) >"$WORK/rss-$n.txt" &
  sampler=$!
  result=$(taskset -c 1 java -Xmx2g "$ROOT/bench/fleet/FleetSim.java" "http://127.0.0.1:$PORT" "$n" "$WORK/policies/p.yaml" "$PID")
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
  wait "$sampler" 2>/dev/null || true
  peak=$(sort -n "$WORK/rss-$n.txt" | tail -1)
  echo "${result%\}},\"configServicePeakRssMiB\":$((peak / 1024))}" | tee "$OUT/fleet-$n.json"
done
