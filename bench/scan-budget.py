#!/usr/bin/env python3
"""A budgeted scan (issue 18): the byte rate it holds and realtime latency while it runs.

usage: scan-budget.py AGENT_BIN HOST_ROOT STATE OUT RATE_MIB

Baselines HOST_ROOT/data without a budget (`check`), changes the times of every file (so that the
next scan reads every byte again, as after an image upgrade), then starts `run` with
scanRate: <RATE_MIB>Mi and debounce 100ms. Its start-up scan is the budgeted one. Meanwhile:
- the agent's rchar (/proc/<pid>/io) is sampled every 250 ms: the read rate of the scan is the bytes
  read between the first and the last sample of the scan, over that time;
- a file is written in /data (watched from the scan's first step) every 500 ms and the time to its
  event in the agent's output is taken: realtime latency during the scan.
Prints both; the target is RATE ± 10 % and latency within debounce + 50 ms.
"""
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

agent, host, state, out, rate = sys.argv[1:6]
rate = int(rate)
data = os.path.join(host, "data")
work = os.path.dirname(state)
pol_plain = os.path.join(work, "budget-plain")
pol_budget = os.path.join(work, "budget-policies")
for d, extra in ((pol_plain, ""), (pol_budget, "  scanRate: %dMi\n" % rate)):
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "bench.yaml"), "w") as f:
        f.write("apiVersion: kubefim.io/v1alpha1\nkind: FimPolicy\nmetadata: {name: bench}\n"
                "spec:\n  debounce: 100ms\n%s  rules:\n    - paths: [/data]\n      hashes: [sha256]\n"
                "      maxFileSize: 1Gi\n" % extra)

subprocess.run(["rm", "-rf", state], check=True)
subprocess.run([agent, "check", "--state", state, "--policies", pol_plain, "--host-root", host],
               check=True, stdout=subprocess.DEVNULL)
t = time.time()
files = 0
for root, _, names in os.walk(data):
    for n in names:
        os.utime(os.path.join(root, n), (t, t))
        files += 1

open(out, "w").close()
proc = subprocess.Popen([agent, "run", "--state", state, "--policies", pol_budget, "--host-root", host,
                         "--output", out, "--http-port", "18083"], stderr=subprocess.DEVNULL)


def ready():
    try:
        return urllib.request.urlopen("http://127.0.0.1:18083/q/health/ready", timeout=1).status == 200
    except Exception:
        return False


def rchar():
    with open("/proc/%d/io" % proc.pid) as f:
        for line in f:
            if line.startswith("rchar:"):
                return int(line.split()[1])


samples = []
latencies = []
done = threading.Event()


def probe():
    n = 0
    with open(out) as events:
        while not done.is_set():
            name = "rt-probe-%03d" % n
            n += 1
            t0 = time.monotonic()
            with open(os.path.join(data, name), "w") as f:
                f.write("x" * 100)
            while not done.is_set():
                line = events.readline()
                if not line:
                    time.sleep(0.0005)
                    continue
                if '"FilePath":"/data/%s"' % name in line:
                    if not ready():
                        latencies.append((time.monotonic() - t0) * 1000)
                    break
            time.sleep(0.5)


try:
    # the scan starts once the JVM is up: sample from the first byte read
    prober = None
    while not ready():
        if proc.poll() is not None:
            sys.exit("the agent exited with %d" % proc.returncode)
        samples.append((time.monotonic(), rchar()))
        if prober is None and len(samples) > 8:  # 2 s in: /data is watched
            prober = threading.Thread(target=probe, daemon=True)
            prober.start()
        time.sleep(0.25)
    done.set()
    # the steady part: from the first sample past 5 % of the bytes to the last before ready
    total = samples[-1][1] - samples[0][1]
    start = next(s for s in samples if s[1] - samples[0][1] > total * 0.05)
    end = samples[-1]
    mib = (end[1] - start[1]) / 1048576
    secs = end[0] - start[0]
    print("files %d, scan read %.0f MiB in %.1f s: %.1f MiB/s (scanRate %d MiB/s, %+.1f %%)"
          % (files, mib, secs, mib / secs, rate, (mib / secs / rate - 1) * 100))
    if latencies:
        lat = sorted(latencies)
        print("realtime during the scan: %d writes, median %.0f ms, p90 %.0f ms, max %.0f ms"
              " (debounce 100 ms)" % (len(lat), statistics.median(lat), lat[int(len(lat) * 0.9) - 1],
                                      lat[-1]))
finally:
    done.set()
    proc.terminate()
    proc.wait()
    for n in os.listdir(data):
        if n.startswith("rt-probe-"):
            os.remove(os.path.join(data, n))
