-- The messaging schema operators of church-messaging apps run (issue #7). message is partitioned by month
-- and kept by partition-manager; the rest are plain tables. Setup only: the workload goes through Sluice.
-- query-monitor verifies index advice with HypoPG (Debian: postgresql-15-hypopg).
CREATE EXTENSION IF NOT EXISTS hypopg;
CREATE TABLE church (
    id         bigint PRIMARY KEY,
    name       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE member (
    id        bigint PRIMARY KEY,
    church_id bigint NOT NULL REFERENCES church (id),
    name      text NOT NULL,
    phone     text
);
CREATE TABLE conversation (
    id         bigint PRIMARY KEY,
    church_id  bigint NOT NULL REFERENCES church (id),
    subject    text,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE message (
    id              bigint NOT NULL,
    church_id       bigint NOT NULL,
    conversation_id bigint,
    status          text NOT NULL,
    body            text,
    created_at      timestamptz NOT NULL
) PARTITION BY RANGE (created_at);
-- No index on member_id: "which messages did this member get" is the app's slow query.
CREATE TABLE message_recipient (
    message_id bigint NOT NULL,
    member_id  bigint NOT NULL,
    status     text NOT NULL,
    PRIMARY KEY (message_id, member_id)
);
INSERT INTO church (id, name) SELECT g, 'Church ' || g FROM generate_series(1, 50) g;
INSERT INTO member (id, church_id, name, phone)
    SELECT g, 1 + g % 50, 'Member ' || g, '+1555' || lpad(g::text, 7, '0') FROM generate_series(1, 20000) g;
INSERT INTO conversation (id, church_id, subject) SELECT g, 1 + g % 50, 'Topic ' || g FROM generate_series(1, 2000) g;
INSERT INTO message_recipient (message_id, member_id, status)
    SELECT g / 20, 1 + (g::bigint * 7919) % 20000, CASE WHEN g % 10 = 0 THEN 'failed' ELSE 'delivered' END
    FROM generate_series(20, 2400019) g;
-- One backend per scan, as on a busy server: the member lookup stays reliably above the 100 ms slow threshold.
ALTER TABLE message_recipient SET (parallel_workers = 0);
ANALYZE;
