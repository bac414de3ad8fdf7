\set id random(1, :rows)
INSERT INTO bench_events(account_id, payload) VALUES (:id, :payload);
