#!/bin/sh
# Node-agent benchmarks (issue 3). Needs: python3, hyperfine, aide (0.18), inotify-tools, sha256sum,
# and gcc with OpenSSL for the native floor (bench/native/floor.c, issue 18).
#   apt-get install -y aide inotify-tools hyperfine gcc libssl-dev
# usage: bench/agent-bench.sh [RUNS]      results: bench/results/agent-<date>.md
# Work files go to bench/work/ (about 1.3 GiB; delete it afterwards).
set -eu
runs=${1:-5}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
work=$here/work
agent=$repo/bin/kubefim-agent
mkdir -p "$work" "$here/results"
out=$here/results/agent-$(date -u +%Y%m%dT%H%M%SZ).md

[ -f "$repo/node-agent/target/kubefim-agent.jar" ] || (cd "$repo" && mvn -B -q -pl node-agent -am package -DskipTests)

# 1. the deterministic trees
if [ ! -f "$work/tree.done" ]; then
  rm -rf "$work/host"
  python3 "$here/make-tree.py" "$work/host/data" 50000 1073741824
  touch "$work/tree.done"
fi
if [ ! -f "$work/big.done" ]; then
  rm -rf "$work/bighost"
  python3 "$here/make-tree.py" "$work/bighost/data" 200000 209715200
  touch "$work/big.done"
fi
# the native floor: walk + open + read + SHA-256 on 2 threads, no database (issue 18)
gcc -O2 -pthread -o "$work/floor" "$here/native/floor.c" -lcrypto
mkdir -p "$work/policies" "$work/rtpolicies"
cat > "$work/policies/bench.yaml" <<YAML
apiVersion: kubefim.io/v1alpha1
kind: FimPolicy
metadata: {name: bench}
spec:
  rules:
    - paths: [/data]
      hashes: [sha256]
      maxFileSize: 1Gi
YAML
sed 's/^spec:/spec:\n  debounce: 100ms/' "$work/policies/bench.yaml" > "$work/rtpolicies/bench.yaml"

# AIDE with the same attributes (type, perms, inode, owner, group, size, mtime, ctime, link) plus sha256
cat > "$work/aide.conf" <<CONF
database_in=file:$work/aide.db
database_out=file:$work/aide.db.new
gzip_dbout=no
num_workers=2
report_url=stdout
Bench = ftype+p+i+u+g+s+m+c+l+sha256
$work/host/data Bench
CONF

medians() {
  python3 -c 'import json,sys; [print("- median %-34s %.3f s" % (r["command"], r["median"])) for r in json.load(open(sys.argv[1]))["results"]]' "$1"
}

echo "warming the page cache"
find "$work/host/data" -type f -print0 | xargs -0 cat > /dev/null

{
  echo "# Agent benchmark $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "- CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; RAM $(free -g | awk '/Mem/{print $2}') GiB; kernel $(uname -r)"
  echo "- $(java -version 2>&1 | head -1); $(aide --version 2>&1 | head -1); $(sha256sum --version | head -1)"
  echo "- tree: $(find "$work/host/data" -type f | wc -l) files, $(du -sh --apparent-size "$work/host/data" | cut -f1)"
  echo
} > "$out"

echo "baseline creation"
hyperfine -N --runs "$runs" --warmup 1 --export-markdown "$work/init.md" --export-json "$work/init.json" \
  --prepare "rm -rf $work/state" \
  -n "kubefim-agent check (baseline)" "$agent check --state $work/state --policies $work/policies --host-root $work/host" \
  --prepare "rm -f $work/aide.db.new" \
  -n "aide --init" "aide --init --config $work/aide.conf" \
  --prepare "true" \
  -n "native floor (C, OpenSSL, 2 threads)" "$work/floor $work/host/data 2" \
  --prepare "true" \
  -n "find | xargs -P2 sha256sum" "sh -c 'find $work/host/data -type f -print0 | xargs -0 -P2 -n 2000 sha256sum > /dev/null'"
{ echo "## Baseline creation"; echo; cat "$work/init.md"; echo; medians "$work/init.json"; echo; } >> "$out"

echo "unchanged re-check"
rm -rf "$work/state"; "$agent" check --state "$work/state" --policies "$work/policies" --host-root "$work/host" > /dev/null
aide --init --config "$work/aide.conf" > /dev/null 2>&1 || true
mv "$work/aide.db.new" "$work/aide.db"
hyperfine -N --runs "$runs" --warmup 1 -i --export-markdown "$work/check.md" --export-json "$work/check.json" \
  -n "kubefim-agent check (unchanged)" "$agent check --state $work/state --policies $work/policies --host-root $work/host" \
  -n "aide --check" "aide --check --config $work/aide.conf"
{ echo "## Unchanged re-check"; echo; cat "$work/check.md"; echo; medians "$work/check.json"; echo; } >> "$out"

echo "realtime latency"
rm -rf "$work/rtstate"
{ echo "## Realtime: write to event (debounce 100ms)"; echo; echo '```'
  python3 "$here/realtime-latency.py" "$agent" "$work/host" "$work/rtpolicies" "$work/rtstate" "$work/rt.ndjson" 20
  echo '```'; echo; } >> "$out"
rm -rf "$work/host/data/rt"

echo "a budgeted scan (scanRate 50Mi)"
{ echo "## A budgeted scan: scanRate 50Mi, realtime during it (debounce 100ms)"; echo; echo '```'
  python3 "$here/scan-budget.py" "$agent" "$work/host" "$work/budget-state" "$work/budget.ndjson" 50
  echo '```'; echo; } >> "$out"

echo "memory with 200,000 files"
rm -rf "$work/bigstate"
{ echo "## Memory: run with 200,000 files baselined"; echo; echo '```'
  python3 "$here/rss.py" "$agent" "$work/bighost" "$work/policies" "$work/bigstate"
  echo '```'; } >> "$out"
cat "$out"
