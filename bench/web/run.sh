#!/usr/bin/env bash
# Web page benchmark (docs/benchmarks-web.md): seeds N events (default 1,000,000) into a fresh H2
# file, then times the machines page and a filtered machine page with curl (median of 5 after three
# warm-up requests). Writes docs/benchmarks-web.md. Usage: bench/web/run.sh [N]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
n="${1:-1000000}"
app="$root/ingest-service/target/quarkus-app"
if [ ! -f "$app/quarkus-run.jar" ]; then
  (cd "$root" && mvn -B -q -pl ingest-service -am package -DskipTests)
fi
h2jar="$(ls "$app"/lib/main/com.h2database.h2-*.jar)"
work="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
url="jdbc:h2:file:$work/events"
base="http://127.0.0.1:$port"
pid=""
stop() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=""; fi
}
trap 'stop; rm -rf "$work"' EXIT

start() {
  java -Dquarkus.http.port="$port" -Dkubefim.auth.mode=none -Dkubefim.readers.mode=open -Dquarkus.datasource.jdbc.url="$url" \
    -jar "$app/quarkus-run.jar" >>"$work/service.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 240); do
    curl -fsS "$base/q/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  echo "service did not become ready" >&2; cat "$work/service.log" >&2; exit 1
}

# 1. the service creates the schema (Flyway V1, V2), then stops so the seeder owns the file
start; stop
anchor="$(date -u +%s)"
t0="$(date +%s.%N)"
java -cp "$h2jar" "$here/SeedEvents.java" "$url" "$n" "$anchor"
seed_s="$(echo "$(date +%s.%N) - $t0" | bc)"
db_mb="$(du -m "$work/events.mv.db" | cut -f1)"

# 2. time the pages
start
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_url() {
  for _ in 1 2 3; do curl -fsS -o /dev/null "$base$1"; done   # warm-up
  for _ in 1 2 3 4 5; do curl -fsS -o /dev/null -w '%{time_total}\n' "$base$1"; done | median
}
pages=(
  "/?window=24h"
  "/?window=7d"
  "/?window=14d"
  "/machines/node-07?window=24h"
  "/machines/node-07?window=14d&changeType=Modified&pathPrefix=/etc/ssl"
  "/machines/node-07?window=14d&changeType=CoverageGap"
)
results=""
for p in "${pages[@]}"; do
  s="$(time_url "$p")"
  ms="$(echo "$s * 1000 / 1" | bc)"
  echo "$p  ${ms} ms"
  results+="| \`$p\` | $ms |"$'\n'
done
# the next page after the first, through its cursor
next="$(curl -fsS "$base/machines/node-07?window=14d" | grep -o 'href="[^"]*" rel="next"' | sed 's/href="//; s/" rel="next"//; s/&amp;/\&/g')"
s="$(time_url "$next")"; ms="$(echo "$s * 1000 / 1" | bc)"
echo "second page  ${ms} ms"
results+="| second page of \`/machines/node-07?window=14d\` (cursor) | $ms |"$'\n'
csv_s="$(curl -fsS -o "$work/out.csv" -w '%{time_total}' "$base/machines/node-07/changes.csv?window=14d")"
csv_rows="$(($(wc -l <"$work/out.csv") - 1))"
stop

cpu="$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)"
cores="$(nproc)"
cat >"$root/docs/benchmarks-web.md" <<MD
# Web page benchmark

Measured by \`bench/web/run.sh\` on $(date -u +%Y-%m-%d): $cpu, $cores cores, $(java -version 2>&1 | head -1).
Store: H2 file, $n events ($db_mb MB), 20 machines, spread evenly over 30 days (about
$((n / 30)) a day, 95% file changes, 1% CoverageGap), bulk-loaded by \`bench/web/SeedEvents.java\`
in ${seed_s%.*} s. Each figure is the median of 5 \`curl -w '%{time_total}'\` requests after three
warm-up requests, service and curl on the same machine. The file size is as the bulk load left
it: H2 does not compact while loading, so it is several times the data.

| Page | median ms |
|---|---|
${results}
CSV export of \`/machines/node-07/changes.csv?window=14d\`: $csv_rows rows in $(echo "$csv_s * 1000 / 1" | bc) ms (one request).

Reproduce: \`bench/web/run.sh\` (or \`bench/web/run.sh 100000\` for a quicker run). It builds the
ingest-service jar if missing and writes this file.
MD
echo "wrote docs/benchmarks-web.md"
