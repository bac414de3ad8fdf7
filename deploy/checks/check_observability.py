#!/usr/bin/env python3
"""Dashboards are valid Grafana JSON (one per service plus the overview) that pick their Prometheus through the
`datasource` template variable (never a fixed datasource uid) and filter by the `instance` variable; every alert
rule has summary, description and a runbook_url to an anchor `rb-N` of docs/runbooks.md; and every metric the
dashboards and alert rules query exists: in a service's code (Micrometer meter names), else promised by the docs ("to verify",
a warning), else it is a typo (a failure). Live /q/metrics files, when given, are the final word.

Usage: check_observability.py [live-metrics.txt ...]
"""
import json
import re
import sys

import yaml

from sluice_services import REPO, SERVICES, Problems

SUFFIXES = ["", "_total", "_seconds", "_seconds_count", "_seconds_sum", "_seconds_bucket", "_seconds_max",
            "_ratio", "_bytes", "_count", "_sum", "_bucket", "_max"]
# Made by Prometheus itself, never by a service.
PROMETHEUS = {"up", "ALERTS"}
# Series Quarkus itself publishes (micrometer binders).
FRAMEWORK = {"http_server_requests_seconds_count", "http_server_requests_seconds_sum",
             "http_server_requests_seconds_bucket", "jvm_memory_used_bytes"}
METRIC = re.compile(r"\b(sluice_[a-z0-9_]+|http_server_requests_seconds_[a-z]+|jvm_[a-z_]+|up|ALERTS)\b")


def code_names():
    names = set()
    for svc in SERVICES:
        for src in (REPO / svc / "src/main/java").rglob("*.java"):
            for base in re.findall(r'"(sluice\.[a-z0-9.]+)"', src.read_text()):
                stem = base.replace(".", "_")
                names.update(stem + s for s in SUFFIXES)
    return names


def doc_names():
    text = "".join(p.read_text() for p in [REPO / "docs/metrics.md", *[REPO / s / "README.md" for s in SERVICES]]
                   if p.is_file())
    return set(re.findall(r"sluice_[a-z0-9_]+", text))


def live_names(files):
    names = set()
    for f in files:
        for line in open(f, encoding="utf-8"):
            if line and not line.startswith("#"):
                names.add(re.split(r"[{ ]", line, 1)[0])
    return names


def queries():
    """(where, expr) of every dashboard target and alert rule."""
    out = []
    for board in sorted((REPO / "deploy/grafana/dashboards").glob("*.json")):
        for panel in json.loads(board.read_text()).get("panels", []):
            out += [(f"{board.name}: {panel['title']}", t["expr"]) for t in panel.get("targets", [])]
    for rules in sorted((REPO / "deploy/prometheus/rules").glob("*.yml")):
        for group in yaml.safe_load(rules.read_text())["groups"]:
            out += [(f"{rules.name}: {r['alert']}", r["expr"]) for r in group["rules"]]
    return out


def check_dashboards(p):
    boards = {}
    for f in sorted((REPO / "deploy/grafana/dashboards").glob("*.json")):
        try:
            boards[f.stem] = json.loads(f.read_text())
        except json.JSONDecodeError as e:
            p.check(False, f"{f.name}: invalid JSON: {e}")
    for want in ["sluice-overview"] + [f"sluice-{s}" for s in SERVICES]:
        p.check(want in boards, f"no dashboard {want}.json")
    uids = [b.get("uid") for b in boards.values()]
    p.check(len(uids) == len(set(uids)), f"dashboard uids are not unique: {uids}")
    for name, b in boards.items():
        p.check(b.get("title") and b.get("panels"), f"{name}: no title or no panels")
        for panel in b.get("panels", []):
            p.check(panel.get("targets") and all(t.get("expr") for t in panel["targets"]),
                    f"{name}: panel '{panel.get('title')}' has no query")
        variables = {v.get("name"): v for v in b.get("templating", {}).get("list", [])}
        p.check(variables.get("datasource", {}).get("type") == "datasource"
                and variables["datasource"].get("query") == "prometheus",
                f"{name}: no template variable 'datasource' of type datasource (query prometheus)")
        p.check(variables.get("instance", {}).get("type") == "query", f"{name}: no template variable 'instance'")
        for where, uid in datasource_uids(b):
            p.check(uid == "${datasource}", f"{name}: {where} uses the fixed datasource uid {uid!r}, not ${{datasource}}")
        for panel in b.get("panels", []):
            for t in panel.get("targets", []):
                p.check("$instance" in t.get("expr", "") or "ALERTS" in t.get("expr", ""),
                        f"{name}: panel '{panel.get('title')}' query {t.get('refId')} ignores the instance variable")
    return len(boards)


def datasource_uids(node, path="dashboard"):
    """(JSON path, uid) of every datasource reference in a dashboard: panels, targets, template variables."""
    if isinstance(node, dict):
        ds = node.get("datasource")
        if isinstance(ds, dict):
            yield path, ds.get("uid")
        elif isinstance(ds, str):  # the legacy form: a datasource name
            yield path, ds
        for key, value in node.items():
            yield from datasource_uids(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from datasource_uids(item, f"{path}[{i}]")


def runbook_anchors():
    text = (REPO / "docs/runbooks.md").read_text()
    return set(re.findall(r'<a id="(rb-[0-9]+)"></a>\n## RB-[0-9]+ ', text))


def check_rules(p):
    """Every alert rule carries summary, description and a runbook_url to an anchor of docs/runbooks.md."""
    anchors, n = runbook_anchors(), 0
    for rules in sorted((REPO / "deploy/prometheus/rules").glob("*.yml")):
        for group in yaml.safe_load(rules.read_text())["groups"]:
            for r in group["rules"]:
                if "alert" not in r:
                    continue
                n += 1
                notes = r.get("annotations") or {}
                for key in ("summary", "description", "runbook_url"):
                    p.check(str(notes.get(key) or "").strip(), f"{rules.name}: {r['alert']} has no annotation {key}")
                url = str(notes.get("runbook_url") or "")
                m = re.fullmatch(r"docs/runbooks\.md#(rb-[0-9]+)", url)
                p.check(not url or (m and m.group(1) in anchors),
                        f"{rules.name}: {r['alert']} runbook_url {url!r} is not docs/runbooks.md#rb-N of an existing runbook")
    return n


def main(live_files):
    p = Problems("observability")
    n_boards = check_dashboards(p)
    n_alerts = check_rules(p)
    known, promised, live = code_names(), doc_names(), live_names(live_files)
    to_verify = {}
    for where, expr in queries():
        for name in set(METRIC.findall(expr)):
            if name in PROMETHEUS or (live and name in live):
                continue
            if name.startswith("sluice_") and name in known:
                continue
            if name in FRAMEWORK and not live:
                continue
            if name.startswith("sluice_") and name not in promised:
                p.check(False, f"{where}: {name} is neither in the code nor in the docs")
            else:
                to_verify.setdefault(name, []).append(where)
    for name, wheres in sorted(to_verify.items()):
        print(f"  WARN to verify: {name} is {'not in the live /q/metrics' if live else 'promised by the docs only'}"
              f" (used by {len(wheres)}: {wheres[0]}{', ...' if len(wheres) > 1 else ''})")
    rc = p.report()
    if rc == 0:
        print(f"  ok   observability: {n_boards} dashboards valid (datasource and instance variables);"
              f" {n_alerts} alerts with summary, description and runbook_url; metric names of dashboards and rules checked"
              f" against the code{' and ' + str(len(live_files)) + ' live /q/metrics' if live_files else ''}")
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
