#!/usr/bin/env bash
# End to end on real processes (issue 4): the agent (--policies, --ingest-url) and ingest-service
# (embedded store). A change is queryable at GET /v1/events within seconds; then ingest-service is
# stopped for 30 s while files change, and started again on the same store: every change arrives,
# and none is stored twice. Prints "e2e-outage: N passed, N failed"; non-zero exit on failure.
# Needs the jars (./kubefim build).
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK=$(mktemp -d /tmp/kubefim-outage.XXXXXX)
PASSED=0
FAILED=0
OUTAGE_SECONDS=${OUTAGE_SECONDS:-30}
CHANGES=20

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
check() {
  local name=$1; shift
  if "$@"; then echo "  ok   $name"; PASSED=$((PASSED+1)); else echo "  FAIL $name"; FAILED=$((FAILED+1)); fi
}
until_true() {
  local deadline=$(( $(date +%s) + $1 )); shift
  until "$@"; do [ "$(date +%s)" -ge "$deadline" ] && return 1; sleep 0.5; done
}

IP=$(free_port); AP=$(free_port)
mkdir -p "$WORK/policies" "$WORK/watched" "$WORK/store" "$WORK/state"
head -c 32 /dev/urandom | base64 >"$WORK/token"
cat >"$WORK/policies/p.yaml" <<YAML
apiVersion: kubefim.io/v1alpha1
kind: FimPolicy
metadata: {name: outage}
spec:
  rules:
    - paths: [$WORK/watched]
  debounce: 100ms
YAML

INGEST_PID=""
start_ingest() {
  java -Dquarkus.http.port="$IP" -Dkubefim.ingest.sinks=store \
    -Dkubefim.auth.mode=sharedToken -Dkubefim.auth.shared-token-file="$WORK/token" \
    -Dquarkus.datasource.jdbc.url="jdbc:h2:file:$WORK/store/events;DB_CLOSE_ON_EXIT=FALSE" \
    -jar "$ROOT/ingest-service/target/quarkus-app/quarkus-run.jar" >>"$WORK/ingest.log" 2>&1 &
  INGEST_PID=$!
}
cleanup() {
  [ -n "$INGEST_PID" ] && kill "$INGEST_PID" 2>/dev/null
  [ -n "${AGENT_PID:-}" ] && kill "$AGENT_PID" 2>/dev/null
  wait 2>/dev/null
}
trap cleanup EXIT

ingest_ready() { curl -fsS "http://localhost:$IP/q/health/ready" >/dev/null 2>&1; }
agent_ready() { curl -fsS "http://localhost:$AP/q/health/ready" >/dev/null 2>&1; }
events_json() { curl -fsS "http://localhost:$IP/v1/events?pathPrefix=$WORK/watched&changeType=Created&limit=1000"; }
count_for() { events_json | python3 -c "import json,sys; print(sum(1 for e in json.load(sys.stdin) if e.get('FilePath')=='$1'))"; }
has_event() { [ "$(count_for "$1")" -ge 1 ]; }

start_ingest
check "ingest-service comes up" until_true 120 ingest_ready
"$ROOT/bin/kubefim-agent" run --state "$WORK/state" --policies "$WORK/policies" \
  --ingest-url "http://localhost:$IP" --token-file "$WORK/token" --node e2e-node \
  --http-port "$AP" >"$WORK/agent.log" 2>&1 &
AGENT_PID=$!
check "the agent comes up (first scan done)" until_true 120 agent_ready

echo first >"$WORK/watched/first.txt"
check "a change is queryable at GET /v1/events within seconds" until_true 20 has_event "$WORK/watched/first.txt"

kill "$INGEST_PID"; wait "$INGEST_PID" 2>/dev/null; INGEST_PID=""
echo "  ingest-service stopped for ${OUTAGE_SECONDS}s; making $CHANGES changes"
per=$(( OUTAGE_SECONDS * 1000 / CHANGES ))
for i in $(seq 1 "$CHANGES"); do
  echo "change $i" >"$WORK/watched/during-$i.txt"
  sleep "$(python3 -c "print($per/1000)")"
done
check "the agent stays ready while ingest is down" agent_ready

start_ingest
check "ingest-service comes back on the same store" until_true 120 ingest_ready
all_arrived() {
  for i in $(seq 1 "$CHANGES"); do has_event "$WORK/watched/during-$i.txt" || return 1; done
}
check "every change made during the outage arrives" until_true 120 all_arrived
none_twice() {
  events_json | python3 -c "
import json,sys,collections
ev=json.load(sys.stdin)
ids=collections.Counter(e['EventId'] for e in ev)
paths=collections.Counter(e['FilePath'] for e in ev)
sys.exit(0 if max(ids.values())==1 and max(paths.values())==1 else 1)"
}
check "none is stored twice (one Created per file, one row per EventId)" none_twice

[ "$FAILED" -eq 0 ] && rm -rf "$WORK"
echo "e2e-outage: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
