#!/usr/bin/env python3
"""RSS of `kubefim-agent run` once the first scan (baseline) of a tree is done and settled.

usage: rss.py AGENT_BIN HOST_ROOT POLICIES STATE
"""
import subprocess
import sys
import time
import urllib.request

agent, host, policies, state = sys.argv[1:5]
proc = subprocess.Popen([agent, "run", "--state", state, "--policies", policies, "--host-root", host,
                         "--output", "/dev/null", "--http-port", "18083"], stderr=subprocess.DEVNULL)
try:
    t0 = time.time()
    while True:
        try:
            if urllib.request.urlopen("http://127.0.0.1:18083/q/health/ready", timeout=1).status == 200:
                break
        except Exception:
            time.sleep(0.2)
    ready = time.time() - t0
    time.sleep(10)
    metrics = urllib.request.urlopen("http://127.0.0.1:18083/q/metrics").read().decode()
    files = [l for l in metrics.splitlines() if l.startswith("kubefim_agent_files_baselined ")][0].split()[1]
    watches = [l for l in metrics.splitlines() if l.startswith("kubefim_agent_watches ")][0].split()[1]
    # the launcher execs java, so the pid is the JVM
    rss = [l for l in open("/proc/%d/status" % proc.pid) if l.startswith("VmRSS")][0].split()[1]
    hwm = [l for l in open("/proc/%d/status" % proc.pid) if l.startswith("VmHWM")][0].split()[1]
    print("baselined=%s watches=%s ready_after=%.1fs VmRSS=%.1f MiB VmHWM=%.1f MiB"
          % (files, watches, ready, int(rss) / 1024, int(hwm) / 1024))
finally:
    proc.terminate()
    proc.wait()
