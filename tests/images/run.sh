#!/usr/bin/env bash
# The four images, built and really run (issue 14; docs/install.md "Container images"):
#   1. ./kubefim images builds them (podman; the Debian-made Java base when no registry answers);
#   2. the agent image runs with exactly the security context the operator renders for the agent
#      DaemonSet (tests/images/RenderAgentPod.java runs the operator's renderer; pod_to_podman.py
#      turns its output into podman options; only host locations, the token and the downward API
#      are substituted): it baselines, sees a host change in realtime and ships it;
#   3. config-service and ingest-service run from their images (sharedToken, embedded store) and
#      the change arrives at the ingest image's GET /v1/events; health and metrics answer;
#   4. the operator image reads its settings and, with no API server, stops with a clear message;
#   5. the same pod is played with `podman kube play`, and what podman honoured is checked.
# Prints "images: N passed, N failed"; skips (exit 0, reason printed) without root or podman.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/tests/images"
cd "$ROOT"
if [ "$(id -u)" -ne 0 ] || ! command -v podman >/dev/null 2>&1; then
  echo "images: SKIP: needs root and podman (apt-get install -y podman runc debootstrap)"
  exit 0
fi
WORK=$(mktemp -d /tmp/kubefim-images.XXXXXX)
PASSED=0 FAILED=0
START=$(date +%s)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
FAILED_NAMES=()
check() { local name=$1; shift; if "$@"; then echo "  ok   $name"; PASSED=$((PASSED+1)); else echo "  FAIL $name"; FAILED=$((FAILED+1)); FAILED_NAMES+=("$name"); fi; }
until_true() { local deadline=$(( $(date +%s) + $1 )); shift; until "$@"; do [ "$(date +%s)" -ge "$deadline" ] && return 1; sleep 0.5; done; }

export CONTAINERS_CONF="$WORK/containers.conf"
printf '[containers]\ndefault_ulimits = []\n' >"$CONTAINERS_CONF"
P=(podman --runtime "$(command -v runc)" --cgroup-manager=cgroupfs)
TAG=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -1)
NAMES=()
cleanup() {
  for n in "${NAMES[@]}"; do "${P[@]}" rm -f "$n" >/dev/null 2>&1; done
  "${P[@]}" pod rm -f kubefim-agent >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "images: ./kubefim images (work dir $WORK)"
t0=$(date +%s)
check "./kubefim images builds the four images" ./kubefim images
echo "  (build took $(( $(date +%s) - t0 )) s)"
for n in agent operator config-service ingest-service; do
  labels=$("${P[@]}" image inspect "localhost/kubefim-$n:$TAG" --format '{{index .Labels "org.opencontainers.image.version"}} {{index .Labels "org.opencontainers.image.revision"}} {{index .Labels "org.opencontainers.image.source"}}' 2>/dev/null)
  check "kubefim-$n says what it is (OCI version, revision, source): $labels" \
    test "$(awk '{print $1}' <<<"$labels")" = "$TAG" -a -n "$(awk '{print $2}' <<<"$labels")" -a -n "$(awk '{print $3}' <<<"$labels")"
done

CP=$(free_port) IP=$(free_port) AP=$(free_port)
mkdir -p "$WORK/policies" "$WORK/host/etc-app" "$WORK/state" "$WORK/token" "$WORK/tmp" "$WORK/store" "$WORK/svc-tmp-c" "$WORK/svc-tmp-i"
echo "original" >"$WORK/host/etc-app/app.conf"
cat >"$WORK/policies/images.yaml" <<YAML
apiVersion: kubefim.io/v1alpha1
kind: FimPolicy
metadata: {name: images}
spec:
  rules:
    - paths: [$WORK/host/etc-app]
  debounce: 200ms
  # the scan budget (issue 18): its threads must be lowered inside the rendered security context
  scanNice: 10
  scanIoClass: idle
YAML
head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$WORK/token/token"
head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$WORK/reader-token"
# The services run as UID 185, as in the chart: they must be able to read the tokens and the
# policies, and write the store.
chmod 0755 "$WORK" "$WORK/token" "$WORK/policies"; chmod 0644 "$WORK/token/token" "$WORK/reader-token" "$WORK/policies/images.yaml"
chown 185 "$WORK/store" "$WORK/svc-tmp-c" "$WORK/svc-tmp-i"

# The services: the chart's container security (non-root, read-only root, no capabilities).
svc() { # NAME IMAGE ENV... : runs a service container on the host network
  local name=$1 image=$2; shift 2
  NAMES+=("$name")
  "${P[@]}" run -d --name "$name" --network host --read-only --cap-drop ALL \
    --security-opt no-new-privileges "$@" "$image" >/dev/null
}
svc kf-config "localhost/kubefim-config-service:$TAG" -v "$WORK/svc-tmp-c:/tmp" \
  -v "$WORK/policies:/policies:ro" -v "$WORK/token:/token:ro" \
  -e QUARKUS_HTTP_PORT="$CP" -e KUBEFIM_CONFIG_SOURCE=directory -e KUBEFIM_CONFIG_POLICIES_DIR=/policies \
  -e KUBEFIM_AUTH_MODE=sharedToken -e KUBEFIM_AUTH_SHARED_TOKEN_FILE=/token/token
svc kf-ingest "localhost/kubefim-ingest-service:$TAG" -v "$WORK/svc-tmp-i:/tmp" \
  -v "$WORK/store:/var/lib/kubefim-ingest" -v "$WORK/token:/token:ro" -v "$WORK/reader-token:/reader-token:ro" \
  -e QUARKUS_HTTP_PORT="$IP" -e KUBEFIM_INGEST_SINKS=store \
  -e QUARKUS_DATASOURCE_JDBC_URL='jdbc:h2:file:/var/lib/kubefim-ingest/events;DB_CLOSE_ON_EXIT=FALSE' \
  -e KUBEFIM_AUTH_MODE=sharedToken -e KUBEFIM_AUTH_SHARED_TOKEN_FILE=/token/token \
  -e KUBEFIM_READERS_MODE=login -e KUBEFIM_READERS_KUBERNETES_TOKENS=false -e KUBEFIM_READERS_TOKEN_FILE=/reader-token
up() { curl -fsS "http://127.0.0.1:$1/q/health/ready" 2>/dev/null | grep -q '"status": *"UP"'; }
check "config-service image: ready" until_true 90 up "$CP"
check "ingest-service image: ready" until_true 90 up "$IP"
check "ingest-service image runs as UID 185 and owns its store" test "$(stat -c %u "$WORK"/store/events.mv.db 2>/dev/null)" = 185

# The agent pod as the operator renders it.
OPCP="$ROOT/operator/target/quarkus-app/lib/main/*:$ROOT/operator/target/quarkus-app/app/*"
[ -f "$ROOT/operator/target/quarkus-app/quarkus-run.jar" ] || mvn -B -q -pl api,operator -am package -DskipTests -Dspotless.check.skip=true
check "the operator's renderer renders the agent DaemonSet" \
  sh -c 'java -cp "$1" "$2/RenderAgentPod.java" "$3" >"$4" 2>"$4.err"' _ "$OPCP" "$HERE" "$WORK/policies" "$WORK/ds.yaml"
cat >"$WORK/subst.json" <<JSON
{"image": "localhost/kubefim-agent:$TAG",
 "hostPaths": {"/var/lib/kubefim": "$WORK/state"},
 "volumes": {"kubefim-token": "$WORK/token", "tmp": "$WORK/tmp"},
 "fieldRefs": {"spec.nodeName": "image-node"},
 "args": {"--config-url": "http://127.0.0.1:$CP", "--ingest-url": "http://127.0.0.1:$IP", "--http-port": "$AP"}}
JSON
python3 "$HERE/pod_to_podman.py" "$WORK/ds.yaml" "$WORK/subst.json" facts >"$WORK/facts.json" 2>"$WORK/facts.err" || cat "$WORK/facts.err"
fact() { python3 -c 'import json,sys; print(eval(sys.argv[2], {}, json.load(open(sys.argv[1]))))' "$WORK/facts.json" "$1"; }
check "rendered: read-only root, no privilege escalation, not privileged, drop ALL, add DAC_READ_SEARCH only" \
  test "$(fact 'readOnlyRootFilesystem, allowPrivilegeEscalation, privileged, capDrop, capAdd')" = "(True, False, False, ['ALL'], ['DAC_READ_SEARCH'])"
check "rendered: every host directory read-only under /host, the state directory writable" \
  test "$(fact '[(m["dst"], m["ro"]) for m in mounts if m["name"].startswith("host-") or m["dst"] == "/var/lib/kubefim"]')" = "[('/host$WORK/host', True), ('/var/lib/kubefim', False)]"
mapfile -t RUN < <(python3 "$HERE/pod_to_podman.py" "$WORK/ds.yaml" "$WORK/subst.json" run)
NAMES+=(kf-agent)
"${P[@]}" run -d --name kf-agent --network host "${RUN[@]}" >/dev/null 2>"$WORK/agent-run.err" || cat "$WORK/agent-run.err"
check "agent image, rendered security context: ready (baseline done)" until_true 120 up "$AP"
inspect() { "${P[@]}" inspect kf-agent --format "$1"; }
# The baseline's scan threads (kubefim-scan-N) outlive it by a minute (the pool's keep-alive).
scan_threads() { ps -L -o comm=,ni= -p "$(inspect '{{.State.Pid}}')" | awk '$1 ~ /^kubefim-scan-/ {print $2}' | sort -u | tr '\n' ' '; }
scan_io() { ps -L -o tid=,comm= -p "$(inspect '{{.State.Pid}}')" | awk '$2 ~ /^kubefim-scan-/ {print $1}' | xargs -r -n1 ionice -p | sort -u | tr '\n' ' '; }
check "the scan threads run at scanNice 10, I/O class idle, under the rendered seccomp profile and capabilities" \
  test "$(scan_threads)|$(scan_io)" = "10 |idle "
check "podman applied it: read-only root, no-new-privileges, exactly the rendered capabilities" \
  test "$(inspect '{{.HostConfig.ReadonlyRootfs}} {{.HostConfig.SecurityOpt}} {{.EffectiveCaps}}')" = "true [no-new-privileges] [CAP_DAC_READ_SEARCH]"
check "the agent cannot write its root filesystem or the host directory" \
  sh -c '! "$@" exec kf-agent sh -c "echo x >/opt/x || echo x >/host'"$WORK"'/host/etc-app/x" 2>/dev/null' _ "${P[@]}"

AUTH="Authorization: Bearer $(cat "$WORK/reader-token")"
events() { curl -fsS -H "$AUTH" "http://127.0.0.1:$IP/v1/events?$1"; }
baselined() { events "computer=image-node&changeType=BaselineCreated" | grep -q BaselineCreated; }
check "the containerised agent baselined and shipped BaselineCreated" until_true 60 baselined
echo "tampered" >>"$WORK/host/etc-app/app.conf"
echo "new" >"$WORK/host/etc-app/new.conf"
realtime() { events "pathPrefix=$WORK/host/etc-app&limit=50" | python3 -c '
import json, sys
ev = json.load(sys.stdin)
want = {("Modified", "app.conf"), ("Created", "new.conf")}
got = {(e["ChangeType"], e["FileName"]) for e in ev if e.get("DetectionSource") == "Realtime" and e["Computer"] == "image-node"}
sys.exit(0 if want <= got else 1)'; }
check "a change to a host file is seen in realtime and arrives at the ingest image's GET /v1/events" until_true 30 realtime
check "GET /v1/events of the ingest image refuses a caller without a login" \
  test "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$IP/v1/events")" = 401
for port in "$CP" "$IP" "$AP"; do
  check "health and metrics answer on :$port" sh -c 'curl -fsS "http://127.0.0.1:$1/q/health/live" | grep -q UP && curl -fsS "http://127.0.0.1:$1/q/metrics" | grep -q "^# TYPE"' _ "$port"
done
check "the agent's stderr carries no JVM notice (no 'Picked up', no 'NOTE:')" \
  sh -c '! "$@" logs kf-agent 2>&1 | grep -E "Picked up|^NOTE:|OpenJDK 64-Bit Server VM warning"' _ "${P[@]}"

# The operator image with no API server: its settings, then one clear line, then exit.
closed=$(free_port)
NAMES+=(kf-operator)
t0=$(date +%s)
timeout 90 "${P[@]}" run --name kf-operator --network host --read-only -v "$WORK/svc-tmp-c:/tmp" --cap-drop ALL \
  --security-opt no-new-privileges -e KUBERNETES_SERVICE_HOST=127.0.0.1 -e KUBERNETES_SERVICE_PORT="$closed" \
  -e QUARKUS_HTTP_PORT="$(free_port)" "localhost/kubefim-operator:$TAG" >"$WORK/operator.log" 2>&1
rc=$?
check "operator image: reads its settings (logs them)" grep -q "operator settings: .*agent image=" "$WORK/operator.log"
check "operator image without an API server: exits non-zero ($rc) in $(( $(date +%s) - t0 )) s with a clear message" \
  sh -c '[ "$1" -ne 0 ] && [ "$1" -ne 124 ] && grep -q "cannot reach the Kubernetes API server at https://127.0.0.1:$2" "$3"' _ "$rc" "$closed" "$WORK/operator.log"
"${P[@]}" rm -f kf-agent >/dev/null 2>&1

# The same pod, played as Kubernetes YAML.
python3 "$HERE/pod_to_podman.py" "$WORK/ds.yaml" "$WORK/subst.json" pod >"$WORK/pod.yaml"
if "${P[@]}" kube play "$WORK/pod.yaml" >"$WORK/play.log" 2>&1; then
  check "podman kube play runs the rendered agent pod: ready" until_true 120 up "$AP"
  pinspect() { "${P[@]}" inspect kubefim-agent-agent --format "$1"; }
  echo "  podman kube play honoured: $(pinspect 'readOnlyRootfs={{.HostConfig.ReadonlyRootfs}} securityOpt={{.HostConfig.SecurityOpt}} caps={{.EffectiveCaps}} user={{.Config.User}}')"
  check "kube play: read-only root and exactly the rendered capabilities" \
    sh -c 'test "$("$@" inspect kubefim-agent-agent --format "{{.HostConfig.ReadonlyRootfs}} {{.EffectiveCaps}}")" = "true [CAP_DAC_READ_SEARCH]"' _ "${P[@]}"
else
  echo "  FAIL podman kube play: $(tail -n 3 "$WORK/play.log")"; FAILED=$((FAILED+1)); FAILED_NAMES+=("podman kube play")
fi

# the failures again, last: a log cut in the middle still shows which check failed
for n in "${FAILED_NAMES[@]}"; do echo "  FAILED: $n"; done
echo "images: $PASSED passed, $FAILED failed ($(( $(date +%s) - START )) s)"
[ "$FAILED" -eq 0 ]
