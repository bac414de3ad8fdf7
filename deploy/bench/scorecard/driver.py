#!/usr/bin/env python3
"""Open-loop driver of the messaging workload for deploy/bench/scorecard-bench.sh.

Sends app requests at a fixed rate (each scheduled at start + i/rate; latency is measured from the scheduled time,
so a backlog counts against the configuration that caused it) in one of two configurations:

  direct  the app talks to the primary itself (psycopg2, one connection per worker), no cache
  sluice  each request is first checked by rate-limiter; member and church reads go through cache-service
          (which loads misses through replica-router), writes and the slow count go through replica-router

Mix per request: 60 % member read (80 % of them on 1,000 hot members), 20 % church read, 15 % write (a new
recipient row), 5 % the slow member lookup (count of a member's received messages). Prints one JSON object.
"""
import argparse
import http.client
import json
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

OPS = [("member_read", 0.60), ("church_read", 0.20), ("write", 0.15), ("slow_lookup", 0.05)]
SQL = {
    "member_read": "SELECT name, phone FROM member WHERE id = $1",
    "church_read": "SELECT id, name FROM church WHERE id = $1",
    "write": "INSERT INTO message_recipient (message_id, member_id, status) VALUES ($1, $2, 'queued')"
             " ON CONFLICT DO NOTHING",
    "slow_lookup": "SELECT count(*) AS received FROM message_recipient WHERE member_id = $1",
}


def pg_sql(sql):
    n = 0
    out = []
    i = 0
    while i < len(sql):  # $1 -> %s for psycopg2
        if sql[i] == "$" and i + 1 < len(sql) and sql[i + 1].isdigit():
            j = i + 1
            while j < len(sql) and sql[j].isdigit():
                j += 1
            out.append("%s")
            n += 1
            i = j
        else:
            out.append(sql[i])
            i += 1
    return "".join(out)


class Http:
    """One keep-alive connection per (thread, host)."""

    def __init__(self, timeout):
        self.local = threading.local()
        self.timeout = timeout

    def post(self, url, body):
        u = urlparse(url)
        conns = self.local.__dict__.setdefault("conns", {})
        key = (u.hostname, u.port)
        for attempt in (1, 2):
            c = conns.get(key)
            if c is None:
                c = conns[key] = http.client.HTTPConnection(u.hostname, u.port, timeout=self.timeout)
            try:
                c.request("POST", u.path, body=json.dumps(body), headers={"Content-Type": "application/json"})
                r = c.getresponse()
                data = r.read()
                return r.status, data
            except (http.client.HTTPException, OSError):
                c.close()
                conns.pop(key, None)
                if attempt == 2:
                    raise


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--mode", choices=["direct", "sluice"], required=True)
    p.add_argument("--rate", type=float, required=True)
    p.add_argument("--duration", type=float, required=True)
    p.add_argument("--workers", type=int, default=32)
    p.add_argument("--members", type=int, required=True)
    p.add_argument("--pg", help="postgresql URL of the primary (direct)")
    p.add_argument("--router", help="replica-router base URL (sluice)")
    p.add_argument("--cache", help="cache-service base URL (sluice)")
    p.add_argument("--limiter", help="rate-limiter base URL (sluice)")
    p.add_argument("--key", default="bench-app")
    p.add_argument("--first-message-id", type=int, default=50_000_000)
    p.add_argument("--seed", type=int, default=7)
    a = p.parse_args()

    rng = random.Random(a.seed)
    total = int(a.rate * a.duration)
    plan = []
    next_message = a.first_message_id
    for _ in range(total):
        r = rng.random()
        acc = 0.0
        op = OPS[-1][0]
        for name, share in OPS:
            acc += share
            if r < acc:
                op = name
                break
        if op == "member_read":
            arg = [rng.randint(1, 1000) if rng.random() < 0.8 else rng.randint(1, a.members)]
        elif op == "church_read":
            arg = [rng.randint(1, 50)]
        elif op == "write":
            next_message += 1
            arg = [next_message, rng.randint(1, a.members)]
        else:
            arg = [rng.randint(1, a.members)]
        plan.append((op, arg))

    lat = {name: [] for name, _ in OPS}
    errors = {name: 0 for name, _ in OPS}
    limited = [0]
    lock = threading.Lock()
    web = Http(timeout=10)
    local = threading.local()

    def direct(op, args):
        import psycopg2
        conn = getattr(local, "conn", None)
        if conn is None or conn.closed:
            conn = local.conn = psycopg2.connect(a.pg)
            conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(pg_sql(SQL[op]), args)
            if cur.description:
                cur.fetchall()

    def sluice(op, args):
        status, _ = web.post(a.limiter + "/v1/ratelimit/check", {"key": a.key})
        if status == 429:
            return "limited"
        if status != 200:
            raise RuntimeError("limiter %s" % status)
        if op in ("member_read", "church_read"):
            status, body = web.post(a.cache + "/v1/cache/query",
                                    {"namespace": "bench", "sql": SQL[op], "params": args, "ttl_s": 300})
        else:
            status, body = web.post(a.router + "/sql", {"query": SQL[op], "params": args})
        if status != 200:
            raise RuntimeError("%s %s" % (status, body[:200]))
        return "ok"

    run = direct if a.mode == "direct" else sluice

    def one(i, scheduled):
        op, args = plan[i]
        outcome = "ok"
        try:
            outcome = run(op, args) or "ok"
        except Exception:  # noqa: BLE001 - any failure is an error of this request
            outcome = "error"
        took = (time.perf_counter() - scheduled) * 1000
        with lock:
            if outcome == "error":
                errors[op] += 1
            elif outcome == "limited":
                limited[0] += 1
            else:
                lat[op].append(took)

    start = time.perf_counter() + 0.2
    with ThreadPoolExecutor(max_workers=a.workers) as pool:
        for i in range(total):
            at = start + i / a.rate
            delay = at - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(one, i, at)
    elapsed = time.perf_counter() - start

    def pct(values, q):
        if not values:
            return None
        s = sorted(values)
        return round(s[min(len(s) - 1, int(q * (len(s) - 1) + 0.5))], 2)

    ops = {}
    for name, _ in OPS:
        v = lat[name]
        ops[name] = {"ok": len(v), "errors": errors[name], "p50_ms": pct(v, 0.50), "p95_ms": pct(v, 0.95),
                     "p99_ms": pct(v, 0.99)}
    allv = [x for name, _ in OPS for x in lat[name]]
    print(json.dumps({"mode": a.mode, "rate": a.rate, "requests": total, "elapsed_s": round(elapsed, 1),
                      "achieved_rps": round(total / elapsed, 1), "limited": limited[0],
                      "errors": sum(errors.values()), "p50_ms": pct(allv, 0.5), "p95_ms": pct(allv, 0.95),
                      "p99_ms": pct(allv, 0.99), "ops": ops}))


if __name__ == "__main__":
    main()
