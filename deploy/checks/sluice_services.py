"""The five services and their ports, read from each module's application.properties (the source of truth)."""
import pathlib
import re

REPO = pathlib.Path(__file__).resolve().parents[2]
SERVICES = ["query-monitor", "replica-router", "cache-service", "rate-limiter", "partition-manager"]


def ports():
    """{service: port} from quarkus.http.port of each module."""
    out = {}
    for svc in SERVICES:
        props = (REPO / svc / "src/main/resources/application.properties").read_text()
        m = re.search(r"^quarkus\.http\.port=(\d+)\s*$", props, re.M)
        if not m:
            raise SystemExit(f"{svc}: no quarkus.http.port in application.properties")
        out[svc] = int(m.group(1))
    return out


class Problems:
    """Collects failures; report() prints them and returns the exit code."""

    def __init__(self, title):
        self.title = title
        self.items = []

    def check(self, ok, message):
        if not ok:
            self.items.append(message)
        return ok

    def report(self):
        for item in self.items:
            print(f"  FAIL {self.title}: {item}")
        return 1 if self.items else 0
