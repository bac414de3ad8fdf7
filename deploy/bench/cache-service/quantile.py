"""Quantile of a Prometheus histogram from two /q/metrics scrapes (the delta between them).
Usage: quantile.py <before.txt> <after.txt> <metric_base_name> <q>   (prints seconds and the count)"""
import re
import sys


def buckets(path, name):
    out = {}
    for line in open(path):
        m = re.match(r'^' + re.escape(name) + r'_bucket\{.*le="([^"]+)".*\} ([0-9.eE+-]+)$', line)
        if m:
            le = float('inf') if m.group(1) == '+Inf' else float(m.group(1))
            out[le] = out.get(le, 0) + float(m.group(2))
    return out


before, after = buckets(sys.argv[1], sys.argv[3]), buckets(sys.argv[2], sys.argv[3])
q = float(sys.argv[4])
delta = sorted((le, after[le] - before.get(le, 0)) for le in after)
total = delta[-1][1] if delta else 0
if total == 0:
    print("n/a 0")
    sys.exit(0)
for le, count in delta:
    if count >= q * total:
        print(f"{le} {int(total)}")
        break
