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
cleanup() {
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

java -Dquarkus.http.port="$port" -Dkubefim.auth.mode=none \
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
# The README's screenshot is refreshed only on request, so a test run leaves the checkout clean.
if [ "$status" -eq 0 ] && [ -f target/machines.png ] && [ -n "${KUBEFIM_UPDATE_SCREENSHOT:-}" ]; then
  mkdir -p "$root/docs/images"
  cp target/machines.png "$root/docs/images/machines.png"
fi
exit "$status"
