#!/usr/bin/env python3
"""Static checks of the Dockerfiles (no Docker engine here) and of the resolved compose file.

Dockerfiles: FROM, a non-root USER, EXPOSE / QUARKUS_HTTP_PORT / HEALTHCHECK on the module's port, COPY sources
under target/quarkus-app/ (and present when the module is built), an exec-form ENTRYPOINT running quarkus-run.jar.
Compose (docker-compose config output on stdin): every container has a health check; every Sluice service is
built from its Dockerfile, publishes its port and waits for healthy dependencies.

Usage: docker-compose -f deploy/compose/docker-compose.yml config | check_containers.py
"""
import pathlib
import re
import sys

import yaml

from sluice_services import REPO, Problems, ports


def instructions(text):
    """(KEYWORD, arguments) per instruction, continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n", " ", "\n".join(l for l in text.splitlines() if not l.lstrip().startswith("#")))
    for line in joined.splitlines():
        if line.strip():
            word, _, rest = line.strip().partition(" ")
            yield word.upper(), rest.strip()


def check_dockerfile(p, svc, port):
    path = REPO / "deploy/docker" / svc / "Dockerfile"
    if not p.check(path.is_file(), f"{svc}: {path.relative_to(REPO)} is missing"):
        return
    ins = list(instructions(path.read_text()))
    words = [w for w, _ in ins]
    p.check(words and words[0] == "FROM", f"{svc}: the first instruction is not FROM")
    users = [a for w, a in ins if w == "USER"]
    p.check(users and users[-1].split(":")[0] not in ("0", "root"), f"{svc}: does not switch to a non-root USER")
    exposed = [a for w, a in ins if w == "EXPOSE"]
    p.check(exposed == [str(port)], f"{svc}: EXPOSE {exposed}, expected [{port}]")
    env = " ".join(a for w, a in ins if w == "ENV")
    p.check(f"QUARKUS_HTTP_PORT={port}" in env, f"{svc}: ENV QUARKUS_HTTP_PORT={port} missing")
    health = [a for w, a in ins if w == "HEALTHCHECK"]
    p.check(len(health) == 1 and f":{port}/q/health/" in health[0], f"{svc}: no HEALTHCHECK on :{port}/q/health/")
    entry = [a for w, a in ins if w == "ENTRYPOINT"]
    p.check(len(entry) == 1 and entry[0].startswith("[") and "quarkus-run.jar" in entry[0],
            f"{svc}: ENTRYPOINT is not an exec-form java -jar quarkus-run.jar")
    built = (REPO / svc / "target/quarkus-app/quarkus-run.jar").is_file()
    for w, a in ins:
        if w != "COPY":
            continue
        args = [x for x in a.split() if not x.startswith("--")]
        for src in args[:-1]:
            p.check(src.startswith("target/quarkus-app/"), f"{svc}: COPY {src} is not from target/quarkus-app/")
            p.check(not built or (REPO / svc / src).exists(), f"{svc}: COPY source {svc}/{src} does not exist")
    return built


def check_compose(p, config, svc_ports):
    services = config.get("services", {})
    for name, spec in services.items():
        p.check("healthcheck" in spec, f"compose: {name} has no healthcheck")
    for svc, port in svc_ports.items():
        spec = services.get(svc)
        if not p.check(spec is not None, f"compose: service {svc} missing"):
            continue
        build = spec.get("build", {})
        dockerfile = (pathlib.Path(build.get("context", "/nonexistent")) / build.get("dockerfile", "Dockerfile")).resolve()
        p.check(dockerfile == (REPO / "deploy/docker" / svc / "Dockerfile").resolve(),
                f"compose: {svc} is not built from deploy/docker/{svc}/Dockerfile ({dockerfile})")
        published = {str(pt.get("target")) if isinstance(pt, dict) else str(pt).split(":")[-1]
                     for pt in spec.get("ports", [])}
        p.check(str(port) in published, f"compose: {svc} does not publish {port}")
        p.check(str(spec.get("environment", {}).get("QUARKUS_HTTP_PORT")) == str(port),
                f"compose: {svc} QUARKUS_HTTP_PORT is not {port}")
        test = " ".join(spec.get("healthcheck", {}).get("test", []))
        p.check(f":{port}/q/health/ready" in test, f"compose: {svc} health check does not ask :{port}/q/health/ready")
        deps = spec.get("depends_on", {})
        p.check(bool(deps) and all(d.get("condition") == "service_healthy" for d in deps.values()),
                f"compose: {svc} does not wait for healthy dependencies")
    scrape = (REPO / "deploy/compose/prometheus/prometheus.yml").read_text()
    for svc, port in svc_ports.items():
        p.check(f"{svc}:{port}" in scrape, f"compose: Prometheus does not scrape {svc}:{port}")


def main():
    svc_ports = ports()
    p = Problems("containers")
    built = [svc for svc, port in svc_ports.items() if check_dockerfile(p, svc, port)]
    check_compose(p, yaml.safe_load(sys.stdin), svc_ports)
    rc = p.report()
    if rc == 0:
        print(f"  ok   containers: {len(svc_ports)} Dockerfiles (COPY sources present for {len(built)} built modules),"
              " compose health checks, ports and dependencies")
    return rc


if __name__ == "__main__":
    sys.exit(main())
