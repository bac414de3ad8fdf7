-- Benchmark tables for deploy/bench/replica-router-bench.sh (run with psql -v rows=N on the primary).
DROP TABLE IF EXISTS bench_accounts, bench_events;

CREATE TABLE bench_accounts (
    id         bigint PRIMARY KEY,
    name       text        NOT NULL,
    email      text        NOT NULL,
    balance    bigint      NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO bench_accounts (id, name, email, balance)
SELECT g, 'account-' || g, 'user' || g || '@example.com', (g * 7919) % 1000000
FROM generate_series(1, :rows) AS g;

CREATE TABLE bench_events (
    id         bigserial   PRIMARY KEY,
    account_id bigint      NOT NULL,
    payload    text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

VACUUM ANALYZE bench_accounts;
VACUUM ANALYZE bench_events;
