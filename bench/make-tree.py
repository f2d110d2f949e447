#!/usr/bin/env python3
"""Deterministic benchmark tree: N files in 100-file directories, sizes from a fixed seed.

usage: make-tree.py DIR FILES TOTAL_BYTES
The same arguments always give the same names, sizes and bytes.
"""
import os
import random
import sys

root, files, total = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rnd = random.Random(20260101)
mean = total / files
# log-normal-ish sizes with the requested mean, like a real /usr
sizes = [max(0, int(rnd.expovariate(1 / mean))) for _ in range(files)]
scale = total / max(1, sum(sizes))
sizes = [int(s * scale) for s in sizes]
block = rnd.randbytes(1 << 20)
for i, size in enumerate(sizes):
    d = os.path.join(root, "d%03d" % (i // 10000), "s%03d" % ((i // 100) % 100))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "f%06d" % i), "wb") as f:
        off = (i * 7919) % (1 << 20)
        left = size
        f.write(i.to_bytes(8, "little"))  # every file differs
        while left > 0:
            chunk = block[off:off + left] if off + left <= len(block) else block[off:]
            f.write(chunk)
            left -= len(chunk)
            off = 0
