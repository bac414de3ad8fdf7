import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;

/**
 * The floor for deploy/bench/replica-router-bench.sh: the same queries as the router benchmark, sent straight
 * through a reactive Vert.x PostgreSQL pool configured like the router's per-node pools (prepared statement
 * cache on, one connection per concurrent client), in this process, with no HTTP in between.
 *
 * <p>Closed loop: {@code --concurrency} clients each send their next query as soon as the previous one
 * completes, for {@code --warmup} seconds (not recorded; lets the JIT and the pool settle) and then
 * {@code --duration} seconds (recorded). Every latency is kept, so p50/p99 are exact (nearest rank).
 *
 * <p>Prints one line: {@code RESULT ok=N errors=N seconds=S rps=X p50_us=N p99_us=N mean_us=N max_us=N}.
 * Exit code 1 on bad arguments or when nothing succeeded.
 *
 * <pre>
 * java -cp 'replica-router/target/quarkus-app/lib/main/*' DirectPoolBench.java \
 *     --url postgresql://127.0.0.1:25432/postgres --user postgres --mode lookup \
 *     --rows 100000 --concurrency 16 --warmup 5 --duration 15
 * </pre>
 */
public final class DirectPoolBench {

    static final String LOOKUP = "SELECT * FROM bench_accounts WHERE id = $1";
    static final String INSERT = "INSERT INTO bench_events(account_id, payload) VALUES ($1, $2)";
    static final String PAYLOAD = "bench-payload";

    /** One closed-loop client. Only its own completion callbacks touch its fields, one at a time. */
    static final class Client {
        long[] latencies = new long[1 << 14];
        int count;
        long errors;
        String firstError;

        void record(long nanos) {
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = nanos;
        }
    }

    public static void main(String[] args) throws Exception {
        String url = null;
        String user = "postgres";
        String password = null;
        String mode = null;
        long rows = 100_000;
        int concurrency = 16;
        int warmup = 5;
        int duration = 15;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--url" -> url = value;
                case "--user" -> user = value;
                case "--password" -> password = value;
                case "--mode" -> mode = value;
                case "--rows" -> rows = Long.parseLong(value);
                case "--concurrency" -> concurrency = Integer.parseInt(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--duration" -> duration = Integer.parseInt(value);
                default -> usage("unknown argument " + args[i]);
            }
            i++;
        }
        if (url == null || mode == null || !(mode.equals("lookup") || mode.equals("insert"))) {
            usage("--url and --mode lookup|insert are required");
        }
        if (rows < 1 || concurrency < 1 || warmup < 0 || duration < 1) {
            usage("--rows, --concurrency and --duration must be >= 1, --warmup >= 0");
        }

        // Same client settings as the router's per-node pools (NodeRegistry.createPool).
        PgConnectOptions connect = PgConnectOptions.fromUri(url).setUser(user)
                .setCachePreparedStatements(true).setPreparedStatementCacheMaxSize(512)
                .addProperty("application_name", "sluice-bench-direct-pool");
        if (password != null && !password.isEmpty()) {
            connect.setPassword(password);
        }
        Vertx vertx = Vertx.vertx();
        Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(concurrency).setMaxWaitQueueSize(-1))
                .connectingTo(connect).using(vertx).build();
        int exit = 0;
        try {
            // Fail fast, with the server's message, if the database or the tables are not there.
            pool.query("SELECT count(*) FROM bench_accounts WHERE id = 1").execute()
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            exit = run(pool, mode.equals("lookup"), rows, concurrency, warmup, duration);
        } finally {
            pool.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        System.exit(exit);
    }

    static int run(Pool pool, boolean lookup, long rows, int concurrency, int warmup, int duration)
            throws InterruptedException {
        long start = System.nanoTime();
        long measureFrom = start + TimeUnit.SECONDS.toNanos(warmup);
        long measureTo = measureFrom + TimeUnit.SECONDS.toNanos(duration);
        String sql = lookup ? LOOKUP : INSERT;
        Client[] clients = new Client[concurrency];
        CountDownLatch done = new CountDownLatch(concurrency);
        for (int i = 0; i < concurrency; i++) {
            clients[i] = new Client();
            next(pool, sql, lookup, rows, clients[i], measureFrom, measureTo, done);
        }
        if (!done.await(warmup + duration + 60L, TimeUnit.SECONDS)) {
            System.err.println("direct pool: clients did not finish within 60 s after the end of the run");
            return 1;
        }
        long total = 0;
        long errors = 0;
        String firstError = null;
        for (Client c : clients) {
            total += c.count;
            errors += c.errors;
            if (firstError == null) {
                firstError = c.firstError;
            }
        }
        long[] all = new long[(int) total];
        int at = 0;
        for (Client c : clients) {
            System.arraycopy(c.latencies, 0, all, at, c.count);
            at += c.count;
        }
        Arrays.sort(all);
        if (firstError != null) {
            System.err.println("direct pool: " + errors + " failed queries, first: " + firstError);
        }
        if (total == 0) {
            System.err.println("direct pool: no query succeeded in the measured window");
            return 1;
        }
        double sum = 0;
        for (long v : all) {
            sum += v;
        }
        System.out.println(String.format(Locale.ROOT,
                "RESULT ok=%d errors=%d seconds=%d rps=%.1f p50_us=%d p99_us=%d mean_us=%d max_us=%d",
                total, errors, duration, total / (double) duration, percentile(all, 50) / 1000,
                percentile(all, 99) / 1000, (long) (sum / total / 1000), all[all.length - 1] / 1000));
        return 0;
    }

    /** Send one query; on completion record it (if it lies in the measured window) and send the next. */
    static void next(Pool pool, String sql, boolean lookup, long rows, Client client, long measureFrom,
            long measureTo, CountDownLatch done) {
        long sent = System.nanoTime();
        if (sent >= measureTo) {
            done.countDown();
            return;
        }
        long id = ThreadLocalRandom.current().nextLong(1, rows + 1);
        Tuple params = lookup ? Tuple.of(id) : Tuple.of(id, PAYLOAD);
        pool.preparedQuery(sql).execute(params).onComplete(ar -> {
            long finished = System.nanoTime();
            boolean measured = sent >= measureFrom && finished <= measureTo;
            if (ar.succeeded()) {
                if (lookup && ar.result().size() != 1) {
                    if (measured) {
                        client.errors++;
                        if (client.firstError == null) {
                            client.firstError = "lookup of id " + id + " returned " + ar.result().size() + " rows";
                        }
                    }
                } else if (measured) {
                    client.record(finished - sent);
                }
            } else if (measured) {
                client.errors++;
                if (client.firstError == null) {
                    client.firstError = String.valueOf(ar.cause());
                }
            }
            next(pool, sql, lookup, rows, client, measureFrom, measureTo, done);
        });
    }

    /** Nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static void usage(String problem) {
        System.err.println("DirectPoolBench: " + problem);
        System.err.println("usage: java -cp '<replica-router>/target/quarkus-app/lib/main/*' DirectPoolBench.java"
                + " --url postgresql://host:port/db [--user U] [--password P] --mode lookup|insert"
                + " [--rows N] [--concurrency N] [--warmup S] [--duration S]");
        System.exit(1);
    }
}
