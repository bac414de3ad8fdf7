#!/usr/bin/env python3
"""Turns scorecard-bench.sh's per-phase JSON files into the docs/benchmarks.md section and a PNG chart."""
import argparse
import json

OPS = ["member_read", "church_read", "write", "slow_lookup"]


def fmt(v, digits=1):
    return "–" if v is None else f"{v:.{digits}f}"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("files", nargs="+")
    p.add_argument("--heading", required=True)
    p.add_argument("--png", required=True)
    p.add_argument("--png-link", required=True)
    p.add_argument("--members", required=True)
    p.add_argument("--recipients", required=True)
    p.add_argument("--duration", required=True)
    p.add_argument("--warmup", required=True)
    p.add_argument("--index", required=True)
    p.add_argument("--command", required=True)
    a = p.parse_args()
    runs = [json.load(open(f)) for f in a.files]
    runs.sort(key=lambda r: (r["rate"], r["label"]))

    out = [f"## {a.heading}", ""]
    out.append(f"Measured by `{a.command}` ({a.members} members, {a.recipients} recipient rows, "
               f"{a.duration} s measured per configuration and rate after {a.warmup} s of warm-up; one machine, the suite and the driver share its CPUs). "
               "A: the app on the primary directly, no cache, no advised index. B: rate-limiter check per request, "
               "reads through cache-service and replica-router, the advised index: "
               f"`{a.index}`. Latency is from each request's scheduled start (open loop), so a backlog counts. "
               "DB statements count every pg_stat_statements call on both nodes during the phase, Sluice's own "
               "probes and snapshots included (in A too: the suite runs, idle).")
    busy = [r for r in runs if r["loadavg"] > r["cpus"]]
    if busy:
        out.append("")
        out.append("**CPU contention**: the 1-minute load average after "
                   + ", ".join("%s @%g: %.1f" % (r["label"], r["rate"], r["loadavg"]) for r in busy)
                   + " on %d CPUs. It counts the benchmark's own processes (driver, suite, PostgreSQL backends: a "
                   "configuration that falls behind its rate piles up work and drives it up) as well as any other "
                   "work on the machine; above the CPU count, latencies include waiting for a CPU." % busy[0]["cpus"])
    out.append("")
    out.append("| rate (req/s) | config | achieved req/s | op | ok | errors | p50 ms | p95 ms | p99 ms |")
    out.append("|---|---|---|---|---|---|---|---|---|")
    for r in runs:
        for op in OPS + ["all"]:
            o = r["ops"][op] if op != "all" else {"ok": sum(r["ops"][x]["ok"] for x in OPS), "errors": r["errors"],
                                                    "p50_ms": r["p50_ms"], "p95_ms": r["p95_ms"], "p99_ms": r["p99_ms"]}
            out.append(f"| {r['rate']:g} | {r['label']} | {r['achieved_rps']} | {op} | {o['ok']} | {o['errors']} | "
                       f"{fmt(o['p50_ms'])} | {fmt(o['p95_ms'])} | {fmt(o['p99_ms'])} |")
    out.append("")
    out.append("| rate | config | load avg (1 min, after) | DB statements / app request | reads on the replica | cache hit rate | "
               "error rate | pool utilisation (scorecard) | replication lag (scorecard) | rate-limited |")
    out.append("|---|---|---|---|---|---|---|---|---|---|")
    for r in runs:
        card = {t["id"]: t for t in r["scorecard"]["targets"]}
        reads = r["replicaReads"] + r["primaryReads"]
        def value(i):
            return "–" if card[i]["value"] is None else "%g %s" % (card[i]["value"], card[i]["unit"])
        share = "–" if reads == 0 else "%.0f %%" % (100 * r["replicaReads"] / reads)
        hit = "–" if r["cacheLookups"] == 0 else "%.0f %%" % (100 * r["cacheHits"] / r["cacheLookups"])
        out.append("| %g | %s | %.1f | %.2f | %s | %s | %.2f %% | %s | %s | %d |" % (
            r["rate"], r["label"], r["loadavg"], r["statements"] / max(1, r["requests"]), share, hit,
            100 * r["errors"] / max(1, r["requests"]), value("pool-utilization"), value("replication-lag"),
            r["limited"]))
    out.append("")
    out.append("Scorecard verdicts (`GET /v1/validation?window=1m` right after each phase):")
    out.append("")
    ids = [t["id"] for t in runs[0]["scorecard"]["targets"]]
    out.append("| rate | config | " + " | ".join(ids) + " |")
    out.append("|---|---|" + "---|" * len(ids))
    for r in runs:
        card = {t["id"]: t["verdict"] for t in r["scorecard"]["targets"]}
        out.append(f"| {r['rate']:g} | {r['label']} | " + " | ".join(card[i] for i in ids) + " |")
    out.append("")
    out.append(f"![p95 per operation and statements per request, A vs B]({a.png_link})")
    print("\n".join(out))

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    rates = sorted({r["rate"] for r in runs})
    fig, axes = plt.subplots(1, len(rates) + 1, figsize=(5 * (len(rates) + 1), 4))
    for ax, rate in zip(axes, rates):
        pair = {r["label"]: r for r in runs if r["rate"] == rate}
        width = 0.38
        for k, label in enumerate(["A", "B"]):
            if label not in pair:
                continue
            vals = [pair[label]["ops"][op]["p95_ms"] or 0 for op in OPS]
            ax.bar([i + (k - 0.5) * width for i in range(len(OPS))], vals, width,
                   label={"A": "A: direct", "B": "B: Sluice"}[label])
        ax.set_xticks(range(len(OPS)))
        ax.set_xticklabels(OPS, rotation=20)
        ax.set_yscale("log")
        ax.set_ylabel("p95 ms (log)")
        ax.set_title(f"p95 per operation at {rate:g} req/s")
        ax.legend()
    ax = axes[-1]
    labels = [f"{r['label']} @{r['rate']:g}" for r in runs]
    ax.bar(labels, [r["statements"] / max(1, r["requests"]) for r in runs],
           color=["#4c72b0" if r["label"] == "A" else "#dd8452" for r in runs])
    ax.set_ylabel("DB statements per app request")
    ax.set_title("pg_stat_statements calls / request")
    fig.tight_layout()
    fig.savefig(a.png, dpi=90)


if __name__ == "__main__":
    main()
