#!/usr/bin/env python3
"""Write-to-event latency of `kubefim-agent run` against inotifywait seeing the same write.

usage: realtime-latency.py AGENT_BIN HOST_ROOT POLICIES STATE OUT TRIALS
Prints: median and p90 of both, in milliseconds.
"""
import os
import statistics
import subprocess
import sys
import time
import urllib.request

agent, host, policies, state, out, trials = sys.argv[1:7]
trials = int(trials)
target_dir = os.path.join(host, "data", "rt")
os.makedirs(target_dir, exist_ok=True)
open(out, "w").close()
proc = subprocess.Popen([agent, "run", "--state", state, "--policies", policies, "--host-root", host,
                         "--output", out, "--http-port", "18082"], stderr=subprocess.DEVNULL)
try:
    deadline = time.time() + 300
    while time.time() < deadline:
        try:
            if urllib.request.urlopen("http://127.0.0.1:18082/q/health/ready", timeout=1).status == 200:
                break
        except Exception:
            time.sleep(0.1)
    iw = subprocess.Popen(["inotifywait", "-m", "-q", "-e", "close_write", "--format", "%f", target_dir],
                          stdout=subprocess.PIPE, text=True)
    time.sleep(0.5)
    agent_ms, iw_ms = [], []
    with open(out) as events:
        events.seek(0, 2)
        for i in range(trials):
            name = "w%03d" % i
            t0 = time.monotonic()
            with open(os.path.join(target_dir, name), "w") as f:
                f.write("x" * 100)
            line = iw.stdout.readline().strip()
            t1 = time.monotonic()
            assert line == name, line
            while True:
                l = events.readline()
                if not l:
                    time.sleep(0.0005)
                    continue
                if '"FilePath":"/data/rt/%s"' % name in l:
                    break
            t2 = time.monotonic()
            iw_ms.append((t1 - t0) * 1000)
            agent_ms.append((t2 - t0) * 1000)
            time.sleep(0.3)
    iw.kill()

    def p90(v):
        return sorted(v)[int(len(v) * 0.9) - 1]

    print("inotifywait median %.1f ms p90 %.1f ms" % (statistics.median(iw_ms), p90(iw_ms)))
    print("kubefim-agent median %.1f ms p90 %.1f ms" % (statistics.median(agent_ms), p90(agent_ms)))
finally:
    proc.terminate()
    proc.wait()
