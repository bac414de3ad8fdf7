\set id random(1, 100000)
SELECT v FROM bench_kv WHERE id = :id;
