#!/usr/bin/env python3
"""`promtool check metrics` on one service's real /q/metrics text (Prometheus text 0.0.4): any finding fails.

The services pass because common's LintCleanIds meter filter fixes or drops what the framework meters would
otherwise be flagged for (see docs/deploy.md, "Metrics to verify"); each service's contract test runs the same check.

Usage: check_live_metrics.py <service> <metrics.txt>
"""
import subprocess
import sys


def main(service, path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    r = subprocess.run(["promtool", "check", "metrics"], input=text, capture_output=True, text=True)
    findings = [l.strip() for l in (r.stdout + r.stderr).splitlines() if l.strip()]
    for line in findings:
        print(f"  FAIL metrics/{service}: {line}")
    if r.returncode != 0 and not findings:
        print(f"  FAIL metrics/{service}: promtool exited {r.returncode}")
    if r.returncode == 0 and not findings:
        print(f"  ok   metrics/{service}: promtool check metrics found nothing")
        return 0
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
