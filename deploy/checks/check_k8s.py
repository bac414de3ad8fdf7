#!/usr/bin/env python3
"""Asserts on a rendered kustomize overlay (YAML on stdin): every service has a Deployment with liveness and
readiness probes on /q/health/*, resources, the right containerPort, and a Service, PDB and HPA (1..10). The
redis-cluster overlay is prod's with the Redis client in cluster mode. Monitoring: a PrometheusRule equal to
deploy/prometheus/rules and each Grafana dashboard in a ConfigMap labelled grafana_dashboard="1".

Usage: kubectl kustomize deploy/k8s/overlays/prod | check_k8s.py prod
"""
import json
import sys

import yaml

from sluice_services import REPO, Problems, ports


def main(overlay):
    prod = overlay in ("prod", "redis-cluster")
    docs = [d for d in yaml.safe_load_all(sys.stdin) if d]
    p = Problems(f"k8s/{overlay}")
    for d in docs:
        p.check("kind" in d and "name" in d.get("metadata", {}), f"rendered an object without kind or name: {d}")
    docs = [d for d in docs if "kind" in d and "name" in d.get("metadata", {})]
    by_kind = {}
    for d in docs:
        by_kind.setdefault(d["kind"], {})[d["metadata"]["name"]] = d
    for svc, port in ports().items():
        dep = by_kind.get("Deployment", {}).get(svc)
        if not p.check(dep is not None, f"no Deployment {svc}"):
            continue
        containers = dep["spec"]["template"]["spec"]["containers"]
        c = next((c for c in containers if c["name"] == svc), None)
        if not p.check(c is not None, f"{svc}: no container named {svc}"):
            continue
        named = {pt.get("name"): pt["containerPort"] for pt in c.get("ports", [])}
        p.check(named.get("http") == port, f"{svc}: containerPort 'http' is {named.get('http')}, expected {port}")
        for probe, path in (("livenessProbe", "/q/health/live"), ("readinessProbe", "/q/health/ready")):
            get = (c.get(probe) or {}).get("httpGet") or {}
            p.check(get.get("path") == path, f"{svc}: {probe} path is {get.get('path')}, expected {path}")
            p.check(get.get("port") in ("http", port), f"{svc}: {probe} port {get.get('port')} is not http/{port}")
        res = c.get("resources") or {}
        for key in ("cpu", "memory"):
            p.check(key in (res.get("requests") or {}), f"{svc}: no resources.requests.{key}")
        p.check("memory" in (res.get("limits") or {}), f"{svc}: no resources.limits.memory")
        env = {e["name"]: e.get("value") for e in c.get("env", [])}
        p.check(env.get("QUARKUS_HTTP_PORT") == str(port), f"{svc}: QUARKUS_HTTP_PORT is {env.get('QUARKUS_HTTP_PORT')}")
        for ref in c.get("envFrom", []):
            if "configMapRef" in ref:
                name = ref["configMapRef"]["name"]
                p.check(name in by_kind.get("ConfigMap", {}), f"{svc}: envFrom ConfigMap {name} is not rendered")
            if "secretRef" in ref and not prod:  # prod expects the Secret to be created out of band
                name = ref["secretRef"]["name"]
                p.check(name in by_kind.get("Secret", {}), f"{svc}: envFrom Secret {name} is not rendered")

        service = by_kind.get("Service", {}).get(svc)
        if p.check(service is not None, f"no Service {svc}"):
            sports = {sp.get("name"): sp for sp in service["spec"]["ports"]}
            http = sports.get("http") or {}
            p.check(http.get("port") == port and http.get("targetPort") in ("http", port),
                    f"{svc}: Service port http is {http.get('port')}->{http.get('targetPort')}, expected {port}")
            p.check(service["spec"].get("selector", {}).items() <= dep["spec"]["template"]["metadata"]["labels"].items(),
                    f"{svc}: Service selector does not match the pod labels")
        pdb = by_kind.get("PodDisruptionBudget", {}).get(svc)
        p.check(pdb is not None, f"no PodDisruptionBudget {svc}")
        hpa = by_kind.get("HorizontalPodAutoscaler", {}).get(svc)
        if p.check(hpa is not None, f"no HorizontalPodAutoscaler {svc}"):
            lo, hi = hpa["spec"].get("minReplicas", 1), hpa["spec"]["maxReplicas"]
            p.check(1 <= lo <= hi <= 10, f"{svc}: HPA {lo}..{hi} is not within 1..10")
            p.check(hpa["spec"]["scaleTargetRef"]["name"] == svc, f"{svc}: HPA targets another Deployment")

    monitors = by_kind.get("ServiceMonitor", {})
    p.check(any(ep.get("path") == "/q/metrics" for m in monitors.values() for ep in m["spec"]["endpoints"]),
            "no ServiceMonitor scraping /q/metrics")
    check_monitoring(p, by_kind)
    if prod:
        p.check("sluice-secrets" not in by_kind.get("Secret", {}), "prod renders the placeholder Secret sluice-secrets")
    if overlay == "redis-cluster":
        config = [c for name, c in by_kind.get("ConfigMap", {}).items() if name.startswith("sluice-config")]
        p.check(any((c.get("data") or {}).get("SLUICE_REDIS_CLIENT_TYPE") == "cluster" for c in config),
                "redis-cluster: sluice-config does not set SLUICE_REDIS_CLIENT_TYPE=cluster")
    for d in docs:
        images = [c["image"] for c in d.get("spec", {}).get("template", {}).get("spec", {}).get("containers", [])]
        for image in images:
            p.check(not prod or not image.endswith(":dev"), f"prod uses the dev image {image}")
    rc = p.report()
    if rc == 0:
        print(f"  ok   k8s/{overlay}: {len(ports())} Deployments with probes, resources, ports, Service, PDB, HPA;"
              " PrometheusRule and dashboard ConfigMaps")
    return rc


def check_monitoring(p, by_kind):
    """The PrometheusRule carries exactly the groups of deploy/prometheus/rules, and every dashboard of
    deploy/grafana/dashboards is in a ConfigMap labelled for Grafana's dashboard sidecar, unchanged."""
    rules = {}
    for f in sorted((REPO / "deploy/prometheus/rules").glob("*.yml")):
        for group in yaml.safe_load(f.read_text())["groups"]:
            rules[group["name"]] = group
    rendered = {}
    for name, pr in by_kind.get("PrometheusRule", {}).items():
        for group in pr["spec"]["groups"]:
            p.check(group["name"] not in rendered, f"PrometheusRule {name}: group {group['name']} twice")
            rendered[group["name"]] = group
    p.check(rendered == rules, "the PrometheusRule differs from deploy/prometheus/rules"
            " (run python3 deploy/prometheus/build_prometheusrule.py)")
    sidecar = {}
    for name, cm in by_kind.get("ConfigMap", {}).items():
        if (cm["metadata"].get("labels") or {}).get("grafana_dashboard") == "1":
            sidecar.update(cm.get("data") or {})
    for board in sorted((REPO / "deploy/grafana/dashboards").glob("*.json")):
        p.check(board.name in sidecar, f"dashboard {board.name} is in no ConfigMap labelled grafana_dashboard=1")
        p.check(board.name not in sidecar or json.loads(sidecar[board.name]) == json.loads(board.read_text()),
                f"the ConfigMap of dashboard {board.name} differs from deploy/grafana/dashboards/{board.name}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
