\set id random(1, :rows)
SELECT * FROM bench_accounts WHERE id = :id;
