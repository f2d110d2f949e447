#!/usr/bin/env bash
# End to end on real processes (issues 4 and 11): the agent (--policies, --ingest-url) and
# ingest-service (embedded store). A change is queryable at GET /v1/events within seconds. Then,
# twice, ingest-service is killed with SIGKILL the moment the last changes were acknowledged (they
# are queryable, so the agent has dropped them from its outbox), files change while it is down,
# and it is started again on the same store; then one more outage by SIGTERM. Every change arrives,
# and none is stored twice. Prints "e2e-outage: N passed, N failed"; non-zero exit on failure.
# Needs the jars (./kubefim build).
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK=$(mktemp -d /tmp/kubefim-outage.XXXXXX)
PASSED=0
FAILED=0
OUTAGE_SECONDS=${OUTAGE_SECONDS:-10}
CHANGES=20
# The service under test; INGEST_JAR=... runs another build (e.g. one from before a fix).
INGEST_JAR=${INGEST_JAR:-$ROOT/ingest-service/target/quarkus-app/quarkus-run.jar}

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
head -c 32 /dev/urandom | base64 >"$WORK/reader-token"
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
    -Dkubefim.readers.mode=login -Dkubefim.readers.kubernetes-tokens=false \
    -Dkubefim.readers.token-file="$WORK/reader-token" \
    -Dquarkus.datasource.jdbc.url="jdbc:h2:file:$WORK/store/events;DB_CLOSE_ON_EXIT=FALSE" \
    -jar "$INGEST_JAR" >>"$WORK/ingest.log" 2>&1 &
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
events_json() { curl -fsS -H "Authorization: Bearer $(cat "$WORK/reader-token")" "http://localhost:$IP/v1/events?pathPrefix=$WORK/watched&changeType=Created&limit=1000"; }
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

# Files changed while ingest-service is down, then it comes back on the same store.
outage() { # label, files prefix, signal
  local label=$1 prefix=$2 sig=$3
  kill "-$sig" "$INGEST_PID"; wait "$INGEST_PID" 2>/dev/null; INGEST_PID=""
  echo "  ingest-service stopped ($label) for ${OUTAGE_SECONDS}s; making $CHANGES changes"
  per=$(( OUTAGE_SECONDS * 1000 / CHANGES ))
  for i in $(seq 1 "$CHANGES"); do
    echo "change $i" >"$WORK/watched/$prefix-$i.txt"
    sleep "$(python3 -c "print($per/1000)")"
  done
  check "the agent stays ready while ingest is down ($label)" agent_ready
  start_ingest
  check "ingest-service comes back on the same store ($label)" until_true 120 ingest_ready
}
all_arrived() { # prefix: one query, so a poll takes ~0.1 s (the kill must beat H2's old 500 ms delay)
  events_json | python3 -c "
import json,sys
p={e.get('FilePath') for e in json.load(sys.stdin)}
sys.exit(0 if all('$WORK/watched/$1-%d.txt' % i in p for i in range(1, $CHANGES + 1)) else 1)"
}
any_arrived() { # prefix: one of them is queryable (curl and grep only: ~20 ms a poll)
  events_json | grep -qF "$WORK/watched/$1-"
}
until_fast() { # seconds, command...: like until_true, polling every 20 ms
  local deadline=$(( $(date +%s) + $1 )); shift
  until "$@"; do [ "$(date +%s)" -ge "$deadline" ] && return 1; sleep 0.02; done
}

# kill -9 right after an acknowledgement: a burst of changes, SIGKILL the moment the first of them
# is queryable (its batch was acknowledged: the agent deleted it from its outbox; before the fix
# H2 wrote it to the file up to 500 ms later). The rest are acknowledged or still in the outbox.
for round in 1 2; do
  for i in $(seq 1 "$CHANGES"); do echo "acked $i" >"$WORK/watched/acked$round-$i.txt"; done
  check "round $round: the first of a burst is acknowledged" until_fast 60 any_arrived "acked$round"
  outage "kill -9 after acks, round $round" "down$round" KILL
  check "round $round: every change of the burst arrives after kill -9" until_true 60 all_arrived "acked$round"
  check "round $round: every change made during the outage arrives" until_true 120 all_arrived "down$round"
done

outage "SIGTERM" "during" TERM
check "every change made during the SIGTERM outage arrives" until_true 120 all_arrived during
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
