#!/usr/bin/env python3
"""Writes the Grafana dashboards (dashboards/*.json): one per service plus an overview.

The JSON files are committed; edit the panel lists here and run `python3 deploy/grafana/build_dashboards.py`.
Queries use the series of docs/metrics.md and Quarkus' http_server_requests_seconds_*; job = service name.
Every dashboard picks its Prometheus through the template variable `datasource` (no fixed datasource uid, so it
works in any Grafana: compose's provisioned one, kube-prometheus-stack's, a hosted one) and narrows every series to
the instances chosen in the variable `instance` (all by default).
"""
import json
import pathlib
import re

OUT = pathlib.Path(__file__).resolve().parent / "dashboards"
DS = {"type": "prometheus", "uid": "${datasource}"}
API = 'uri!~"/q/.*"'
INSTANCE = 'instance=~"$instance"'
# The series the queries read; ALERTS (Prometheus' own) is left unscoped.
SERIES = re.compile(r"\b(sluice_[a-z0-9_]+|http_server_requests_seconds_[a-z]+|jvm_[a-z_]+|up)\b(\{)?")


def scoped(expr):
    """expr with instance=~"$instance" added to every series selector."""
    return SERIES.sub(lambda m: f"{m.group(1)}{{{INSTANCE}, " if m.group(2) else f"{m.group(1)}{{{INSTANCE}}}", expr)


def panel(title, exprs, unit="short", kind="timeseries", legend="{{job}}"):
    """exprs: a PromQL string or a list of (expr, legend) pairs."""
    if isinstance(exprs, str):
        exprs = [(exprs, legend)]
    return {
        "type": kind, "title": title, "datasource": DS,
        "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
        "targets": [{"refId": chr(65 + i), "datasource": DS, "expr": scoped(e), "legendFormat": l}
                    for i, (e, l) in enumerate(exprs)],
    }


def http_panels(job):
    sel = f'job="{job}", {API}'
    return [
        panel("Up", f'up{{job="{job}"}}', kind="stat", legend="{{instance}}"),
        panel("Requests/s by route", f'sum by (uri, status) (rate(http_server_requests_seconds_count{{{sel}}}[5m]))',
              "reqps", legend="{{status}} {{uri}}"),
        panel("5xx ratio", f'sum(rate(http_server_requests_seconds_count{{{sel}, outcome="SERVER_ERROR"}}[5m]))'
              f' / sum(rate(http_server_requests_seconds_count{{{sel}}}[5m]))', "percentunit"),
        panel("Latency by route (mean, p95 when buckets are published)", [
            (f'sum by (uri) (rate(http_server_requests_seconds_sum{{{sel}}}[5m]))'
             f' / sum by (uri) (rate(http_server_requests_seconds_count{{{sel}}}[5m]))', "mean {{uri}}"),
            (f'histogram_quantile(0.95, sum by (uri, le) (rate(http_server_requests_seconds_bucket{{{sel}}}[5m])))',
             "p95 {{uri}}")], "s"),
        panel("JVM heap used", f'sum by (instance) (jvm_memory_used_bytes{{job="{job}", area="heap"}})', "bytes",
              legend="{{instance}}"),
    ]


SERVICES = {
    "query-monitor": [
        panel("Samples/s", 'sum(rate(sluice_querymonitor_samples_total[5m]))', "ops", legend="samples"),
        panel("Slow and failed statements/s", [
            ('sum(rate(sluice_querymonitor_slow_queries_total[5m]))', "slow"),
            ('sum(rate(sluice_querymonitor_query_errors_total[5m]))', "errors"),
            ('sum(rate(sluice_querymonitor_regressions_total[5m]))', "regressions")], "ops"),
        panel("Mean statement time by fingerprint",
              'sum by (fingerprint) (rate(sluice_querymonitor_query_duration_seconds_sum[5m]))'
              ' / sum by (fingerprint) (rate(sluice_querymonitor_query_duration_seconds_count[5m]))', "s",
              legend="{{fingerprint}}"),
        panel("Fingerprints and pending aggregates", [
            ('sum(sluice_querymonitor_fingerprints_tracked)', "tracked"),
            ('sum(sluice_querymonitor_fingerprints_evicted)', "evicted"),
            ('sum(sluice_querymonitor_aggregates_pending)', "pending")]),
        panel("Flush to Redis", [
            ('sum(rate(sluice_querymonitor_flush_duration_seconds_sum[5m])) / sum(rate(sluice_querymonitor_flush_duration_seconds_count[5m]))', "mean"),
            ('sum(rate(sluice_querymonitor_flush_failures_total[5m]))', "failures/s")], "s"),
    ],
    "replica-router": [
        panel("Routed statements/s", 'sum by (target, reason) (rate(sluice_replicarouter_routed_total[5m]))', "ops",
              legend="{{target}} / {{reason}}"),
        panel("Replica lag", 'max by (node) (sluice_replicarouter_replica_lag_seconds)', "s", legend="{{node}}"),
        panel("Nodes up / primary", [
            ('max by (node) (sluice_replicarouter_node_up)', "up {{node}}"),
            ('max by (node) (sluice_replicarouter_node_primary)', "primary {{node}}")]),
        panel("Pool utilisation", 'max by (node) (sluice_replicarouter_pool_utilisation_ratio)', "percentunit",
              legend="{{node}}"),
        panel("Pool in use and waiting", [
            ('sum by (node) (sluice_replicarouter_pool_in_use)', "in use {{node}}"),
            ('sum by (node) (sluice_replicarouter_pool_waiting)', "waiting {{node}}"),
            ('max by (node) (sluice_replicarouter_pool_max_size)', "max {{node}}")]),
        panel("Statement time (mean)",
              'sum by (outcome) (rate(sluice_replicarouter_statement_duration_seconds_sum[5m]))'
              ' / sum by (outcome) (rate(sluice_replicarouter_statement_duration_seconds_count[5m]))', "s",
              legend="{{outcome}}"),
        panel("Failures/s", [
            ('sum(rate(sluice_replicarouter_circuit_opens_total[5m]))', "circuit opens"),
            ('sum(rate(sluice_replicarouter_session_failures_total[5m]))', "session (Redis)"),
            ('sum(rate(sluice_replicarouter_state_sync_failures_total[5m]))', "state sync (Redis)"),
            ('sum(rate(sluice_replicarouter_misclassified_total[5m]))', "misclassified"),
            ('sum(rate(sluice_replicarouter_pool_suspected_leaks_total[5m]))', "suspected leaks")], "ops"),
        panel("Failovers and node changes", [
            ('sum by (outcome) (increase(sluice_replicarouter_failovers_total[1h]))', "failover {{outcome}}"),
            ('sum by (to) (increase(sluice_replicarouter_node_changes_total[1h]))', "node {{to}}")]),
        panel("Bulk rows/s", 'sum by (outcome) (rate(sluice_replicarouter_bulk_rows_total[5m]))', "ops",
              legend="{{outcome}}"),
    ],
    "cache-service": [
        panel("Hit rate", 'sum(rate(sluice_cacheservice_lookups_total{outcome="hit"}[15m]))'
              ' / sum(rate(sluice_cacheservice_lookups_total{outcome=~"hit|miss"}[15m]))', "percentunit",
              legend="hit rate (15m)"),
        panel("Lookups and events/s", 'sum by (outcome) (rate(sluice_cacheservice_lookups_total[5m]))', "ops",
              legend="{{outcome}}"),
        panel("Writes, near hits, Redis failures/s", [
            ('sum(rate(sluice_cacheservice_writes_total[5m]))', "writes"),
            ('sum(rate(sluice_cacheservice_near_hits_total[5m]))', "near hits"),
            ('sum(rate(sluice_cacheservice_redis_failures_total[5m]))', "Redis failures")], "ops"),
        panel("Invalidations/s by source", 'sum by (source) (rate(sluice_cacheservice_invalidations_total[5m]))',
              "ops", legend="{{source}}"),
        panel("Invalidation lag p95", 'histogram_quantile(0.95, sum by (le) (rate(sluice_cacheservice_invalidation_lag_seconds_bucket[5m])))',
              "s", legend="p95"),
        panel("Load time p95 by source", 'histogram_quantile(0.95, sum by (source, le) (rate(sluice_cacheservice_load_duration_seconds_bucket[5m])))',
              "s", legend="{{source}}"),
    ],
    "rate-limiter": [
        panel("Decisions/s by result", 'sum by (result) (rate(sluice_ratelimiter_decisions_total[5m]))', "ops",
              legend="{{result}}"),
        panel("Limited/s by tier", 'sum by (tier) (rate(sluice_ratelimiter_decisions_total{result="limited"}[5m]))',
              "ops", legend="{{tier}}"),
        panel("Limited ratio", 'sum(rate(sluice_ratelimiter_decisions_total{result="limited"}[5m]))'
              ' / sum(rate(sluice_ratelimiter_decisions_total[5m]))', "percentunit", legend="limited"),
        panel("Decision time p95", 'histogram_quantile(0.95, sum by (le) (rate(sluice_ratelimiter_decision_duration_seconds_bucket[5m])))',
              "s", legend="p95"),
        panel("Redis errors and near-limit checks/s", [
            ('sum by (reason) (rate(sluice_ratelimiter_redis_errors_total[5m]))', "Redis {{reason}}"),
            ('sum by (policy) (rate(sluice_ratelimiter_near_limit_total[5m]))', "near limit {{policy}}")], "ops"),
    ],
    "partition-manager": [
        panel("Runway (future partitions)", 'min by (set) (sluice_partitionmanager_set_runway)', legend="{{set}}"),
        panel("Gaps and default-partition rows", [
            ('max by (set) (sluice_partitionmanager_set_gaps)', "gaps {{set}}"),
            ('max by (set) (sluice_partitionmanager_set_default_rows)', "default rows {{set}}")]),
        panel("Partitions and size", [
            ('max by (set) (sluice_partitionmanager_set_partitions)', "partitions {{set}}"),
            ('max by (set) (sluice_partitionmanager_set_size_bytes)', "bytes {{set}}")]),
        panel("Maintenance runs by outcome", 'sum by (outcome) (increase(sluice_partitionmanager_maintenance_runs_seconds_count[1h]))',
              legend="{{outcome}}"),
        panel("DDL and locks by outcome", [
            ('sum by (outcome) (increase(sluice_partitionmanager_ddl_statements_total[1h]))', "ddl {{outcome}}"),
            ('sum by (outcome) (increase(sluice_partitionmanager_lock_acquisitions_total[1h]))', "lock {{outcome}}")]),
        panel("Partitions created / retired / archived", [
            ('sum(increase(sluice_partitionmanager_partitions_created_total[1d]))', "created"),
            ('sum by (mode) (increase(sluice_partitionmanager_partitions_retired_total[1d]))', "retired {{mode}}"),
            ('sum by (outcome) (increase(sluice_partitionmanager_archives_total[1d]))', "archives {{outcome}}")]),
    ],
}

JOBS = 'job=~"query-monitor|replica-router|cache-service|rate-limiter|partition-manager"'
OVERVIEW = [
    panel("Services up", f'up{{{JOBS}}}', kind="stat", legend="{{job}}"),
    panel("Firing alerts", 'ALERTS{alertstate="firing", alertname=~"Sluice.*"}', kind="table",
          legend="{{alertname}}"),
    panel("Requests/s", f'sum by (job) (rate(http_server_requests_seconds_count{{{JOBS}, {API}}}[5m]))', "reqps"),
    panel("5xx ratio", f'sum by (job) (rate(http_server_requests_seconds_count{{{JOBS}, {API}, outcome="SERVER_ERROR"}}[5m]))'
          f' / sum by (job) (rate(http_server_requests_seconds_count{{{JOBS}, {API}}}[5m]))', "percentunit"),
    panel("API p95", f'histogram_quantile(0.95, sum by (job, le) (rate(http_server_requests_seconds_bucket{{{JOBS}, {API}}}[5m])))', "s"),
    panel("Cache hit rate (15m)", 'sum(rate(sluice_cacheservice_lookups_total{outcome="hit"}[15m]))'
          ' / sum(rate(sluice_cacheservice_lookups_total{outcome=~"hit|miss"}[15m]))', "percentunit", legend="hit rate"),
    panel("Replica lag", 'max by (node) (sluice_replicarouter_replica_lag_seconds)', "s", legend="{{node}}"),
    panel("Pool utilisation", 'max by (node) (sluice_replicarouter_pool_utilisation_ratio)', "percentunit",
          legend="{{node}}"),
    panel("Mean DB statement time", 'sum(rate(sluice_querymonitor_query_duration_seconds_sum[5m]))'
          ' / sum(rate(sluice_querymonitor_query_duration_seconds_count[5m]))', "s", legend="mean"),
    panel("Rate-limit rejections/s", 'sum(rate(sluice_ratelimiter_decisions_total{result="limited"}[5m]))', "ops",
          legend="limited"),
    panel("Lowest partition runway", 'min by (set) (sluice_partitionmanager_set_runway)', legend="{{set}}"),
]


def variables(jobs):
    """The datasource and instance template variables; instance lists the instances of the dashboard's jobs."""
    return [
        {"name": "datasource", "label": "Data source", "type": "datasource", "query": "prometheus",
         "current": {}, "hide": 0, "refresh": 1, "regex": "", "options": []},
        {"name": "instance", "label": "Instance", "type": "query", "datasource": DS,
         "query": {"query": f"label_values(up{{{jobs}}}, instance)", "refId": "instance"},
         "definition": f"label_values(up{{{jobs}}}, instance)", "refresh": 2, "sort": 1,
         "multi": True, "includeAll": True, "allValue": ".*", "current": {}, "hide": 0, "regex": "", "options": []},
    ]


def dashboard(uid, title, panels, tags, jobs):
    for i, p in enumerate(panels):
        p["id"] = i + 1
        p["gridPos"] = {"x": (i % 2) * 12, "y": (i // 2) * 8, "w": 12, "h": 8}
    return {"uid": uid, "title": title, "tags": ["sluice"] + tags, "timezone": "browser", "schemaVersion": 39,
            "version": 1, "refresh": "30s", "time": {"from": "now-1h", "to": "now"}, "editable": False,
            "panels": panels, "templating": {"list": variables(jobs)}, "annotations": {"list": []}}


def main():
    OUT.mkdir(exist_ok=True)
    boards = {"sluice-overview": dashboard("sluice-overview", "Sluice overview", OVERVIEW, ["overview"], JOBS)}
    for svc, panels in SERVICES.items():
        boards[f"sluice-{svc}"] = dashboard(f"sluice-{svc}", f"Sluice {svc}", http_panels(svc) + panels, [svc],
                                            f'job="{svc}"')
    for name, board in boards.items():
        (OUT / f"{name}.json").write_text(json.dumps(board, indent=2) + "\n")
    print(f"wrote {len(boards)} dashboards to {OUT}")


if __name__ == "__main__":
    main()
