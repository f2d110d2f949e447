#!/usr/bin/env bash
# End to end, on real processes: `./kubefim up` from the checkout (it builds what is missing),
# then what a newcomer does: change a watched file and see the event at ingest-service; edit the
# policy file and see the new rules apply without a restart; Ctrl-C stops all three processes.
# Prints "e2e: N passed, N failed" and exits non-zero on any failure.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK=$(mktemp -d /tmp/kubefim-e2e.XXXXXX)
PASSED=0
FAILED=0

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
check() { # check NAME COMMAND...: runs COMMAND, counts the result
  local name=$1; shift
  if "$@"; then echo "  ok   $name"; PASSED=$((PASSED+1)); else echo "  FAIL $name"; FAILED=$((FAILED+1)); fi
}
until_true() { # until_true SECONDS COMMAND...
  local deadline=$(( $(date +%s) + $1 )); shift
  until "$@"; do [ "$(date +%s)" -ge "$deadline" ] && return 1; sleep 0.5; done
}

IP=$(free_port); CP=$(free_port); AP=$(free_port)
mkdir -p "$WORK/policies" "$WORK/watched/a" "$WORK/watched/b"
cat >"$WORK/policies/e2e.yaml" <<YAML
apiVersion: kubefim.io/v1alpha1
kind: FimPolicy
metadata: {name: e2e}
spec:
  rules:
    - paths: [$WORK/watched/a]
  debounce: 200ms
YAML

echo "e2e: ./kubefim up (ports ingest $IP, config $CP, agent $AP; work dir $WORK)"
# A background job of a non-interactive shell starts with SIGINT ignored, and bash cannot trap a
# signal ignored at entry: restore the default so the Ctrl-C below is a real Ctrl-C.
( cd "$ROOT" && exec setsid env --default-signal=INT ./kubefim up --policies "$WORK/policies" --state "$WORK/state" \
    --ingest-port "$IP" --config-port "$CP" --agent-port "$AP" ) >"$WORK/up.log" 2>&1 &
UP=$!
cleanup() { kill -INT -- "-$UP" 2>/dev/null; sleep 2; kill -KILL -- "-$UP" 2>/dev/null; }
trap cleanup EXIT

events() { curl -fsS -H "Authorization: Bearer $(cat "$WORK/state/reader-token")" "http://localhost:$IP/v1/events?pathPrefix=$1&limit=100"; }
has_event() { events "$1" | grep -q "\"FilePath\":\"$1\""; }
ready() { curl -fsS "http://localhost:$AP/q/health/ready" >/dev/null 2>&1; }

check "all three processes come up (agent ready within 300 s)" until_true 300 ready
if [ "$FAILED" -gt 0 ]; then tail -n 40 "$WORK/up.log"; tail -n 40 "$WORK/state/logs/"*.log; fi

echo hello >"$WORK/watched/a/hello.txt"
check "a new file in a watched directory arrives at GET /v1/events" \
  until_true 30 has_event "$WORK/watched/a/hello.txt"

# The rollout is the operator's route: in local mode it takes the local token, and nothing less.
rollout_ready() { curl -fsS -H "Authorization: Bearer $(cat "$WORK/state/token")" "http://localhost:$CP/v1/policies/e2e/rollout" | grep -q '"readyNodes":1'; }
check "config-service counts the node ready from the agent's heartbeat" until_true 30 rollout_ready
rollout_refused() { [ "$(curl -s -o /dev/null -w '%{http_code}' "http://localhost:$CP/v1/policies/e2e/rollout")" = 401 ]; }
check "config-service refuses the rollout without the local token" rollout_refused
unauthorized() { [ "$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d '[]' "http://localhost:$IP/v1/events")" = 401 ]; }
check "ingest-service refuses a POST without the local token" unauthorized

# Readers log in (SPEC §7): nothing without the reader token; the agent's token reads nothing; the
# login link ./kubefim up prints makes a session cookie that reads the page.
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
check "GET /v1/events without a login is 401" test "$(code "http://localhost:$IP/v1/events")" = 401
check "the agent's token cannot read events" \
  test "$(code -H "Authorization: Bearer $(cat "$WORK/state/token")" "http://localhost:$IP/v1/events")" = 401
login_link() {
  local link
  link=$(grep -o "http://localhost:$IP/login?token=[0-9a-f]*" "$WORK/up.log" | head -1)
  [ -n "$link" ] || return 1
  curl -fsS -c "$WORK/cookies" -o /dev/null "$link" &&
    curl -fsS -b "$WORK/cookies" -H 'Accept: text/html' "http://localhost:$IP/" | grep -q '<h1>Machines</h1>'
}
check "the printed login link opens the machines page" login_link

agent_pid() { pgrep -f -- "--state $WORK/state/agent" | head -1; }
PID_BEFORE=$(agent_pid)
echo before >"$WORK/watched/b/early.txt"
sed -i "s#paths: \[$WORK/watched/a\]#paths: [$WORK/watched/a, $WORK/watched/b]#" "$WORK/policies/e2e.yaml"
sleep 3
echo new >"$WORK/watched/b/later.txt"
check "a policy edit adds a directory without a restart" \
  until_true 30 has_event "$WORK/watched/b/later.txt"
check "the agent process did not restart" test -n "$PID_BEFORE" -a "$(agent_pid)" = "$PID_BEFORE"

kill -INT -- "-$UP" 2>/dev/null
stopped() { ! kill -0 "$UP" 2>/dev/null && ! pgrep -f "$WORK/state" >/dev/null; }
check "Ctrl-C stops all three" until_true 30 stopped
trap - EXIT
pkill -f "$WORK/state" 2>/dev/null

[ "$FAILED" -eq 0 ] && rm -rf "$WORK"
echo "e2e: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
