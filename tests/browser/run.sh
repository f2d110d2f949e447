#!/usr/bin/env bash
# Browser test of the ingest-service web page (docs/web.md). Installs chromium if missing (as root,
# from Debian), npm ci if node_modules is missing, builds the ingest-service jar if missing, starts
# it on a free port with a throwaway H2 file, seeds it, runs node --test. Exits non-zero on failure;
# the service is stopped on any exit.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
jar="$root/ingest-service/target/quarkus-app/quarkus-run.jar"

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "run.sh: chromium is missing; install it as root: apt-get install -y chromium" >&2
    exit 2
  fi
  apt-get update -qq && apt-get install -y -qq chromium
fi
export CHROMIUM="${CHROMIUM:-$(command -v chromium)}"

if [ ! -d "$here/node_modules" ]; then
  (cd "$here" && npm ci --no-audit --no-fund)
fi
if [ ! -f "$jar" ]; then
  (cd "$root" && mvn -B -q -pl ingest-service -am package -DskipTests)
fi

tmp="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
pid=""
ipid=""
cleanup() {
  [ -n "$ipid" ] && kill "$ipid" 2>/dev/null
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# Readers log in with OIDC (SPEC §7): a test issuer of our own (issuer.mjs), as Entra ID would be.
iport="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
node "$here/issuer.mjs" "$iport" kubefim-web browser-test-secret >"$tmp/issuer.log" 2>&1 &
ipid=$!
for _ in $(seq 1 50); do
  curl -fsS "http://127.0.0.1:$iport/realms/test/.well-known/openid-configuration" >/dev/null 2>&1 && break
  sleep 0.1
done
export ISSUER_URL="http://127.0.0.1:$iport/realms/test"

java -Dquarkus.http.port="$port" -Dkubefim.auth.mode=none \
  -Dkubefim.readers.mode=login -Dkubefim.readers.kubernetes-tokens=false \
  -Dquarkus.oidc.tenant-enabled=true -Dquarkus.oidc.auth-server-url="$ISSUER_URL" \
  -Dquarkus.oidc.client-id=kubefim-web -Dquarkus.oidc.credentials.secret=browser-test-secret \
  -Dquarkus.datasource.jdbc.url="jdbc:h2:file:$tmp/events" \
  -jar "$jar" >"$tmp/service.log" 2>&1 &
pid=$!

export BASE_URL="http://127.0.0.1:$port"
for _ in $(seq 1 120); do
  if curl -fsS "$BASE_URL/q/health/ready" >/dev/null 2>&1; then
    break
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "run.sh: ingest-service exited; its log:" >&2
    cat "$tmp/service.log" >&2
    exit 1
  fi
  sleep 0.5
done
curl -fsS "$BASE_URL/q/health/ready" >/dev/null || { echo "run.sh: not ready" >&2; cat "$tmp/service.log" >&2; exit 1; }

cd "$here"
node seed.mjs
mkdir -p target
export SHOT_DIR="$here/target"
status=0
node --test machines.test.mjs || status=$?
[ "$status" -eq 0 ] || { echo "run.sh: ingest-service log:" >&2; tail -n 40 "$tmp/service.log" >&2; }
# The README's screenshot is refreshed only on request, so a test run leaves the checkout clean.
if [ "$status" -eq 0 ] && [ -f target/machines.png ] && [ -n "${KUBEFIM_UPDATE_SCREENSHOT:-}" ]; then
  mkdir -p "$root/docs/images"
  cp target/machines.png "$root/docs/images/machines.png"
fi
exit "$status"
