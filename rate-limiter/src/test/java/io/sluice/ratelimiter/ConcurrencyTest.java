package io.sluice.ratelimiter;

import static io.sluice.ratelimiter.Api.assign;
import static io.sluice.ratelimiter.Api.newKey;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.ratelimiter.gcra.Decision;
import io.sluice.ratelimiter.gcra.RateLimitService;
import io.sluice.ratelimiter.gcra.Source;
import io.sluice.testing.SluiceInfraResource;

/**
 * 64 concurrent clients on one key for several seconds, through the Java decision API (the same path as
 * HTTP, without the HTTP cost on a 2-core machine): the total allowed is the theory within 1%, and no
 * request is refused while quota remains.
 */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class ConcurrencyTest {

    private static final int CLIENTS = 64;
    private static final long RATE = 200;
    private static final long BURST = 400; // two seconds of refill: a stall of this busy machine loses nothing

    @Inject
    RateLimitService service;

    @Test
    void sixtyFourClientsOnOneKeyGetExactlyTheLimit() throws Exception {
        String key = newKey();
        assign(key, "free", "{\"minute\": null, \"day\": null, \"second\": {\"limit\": " + RATE * 2
                + ", \"window\": 2, \"burst\": " + BURST + "}}");
        AtomicLong allowed = new AtomicLong();
        AtomicLong refusedWithQuotaLeft = new AtomicLong();
        AtomicLong other = new AtomicLong();
        long intervalMicros = 1_000_000 / RATE;
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        // Warm up (JIT, connections) on 32 keys, so that on a Redis Cluster every master is connected before the
        // measured window: a first connection to the key's master inside it would cost requests, not the limiter.
        // Their limit is never reached: refusals would crowd the offenders list other tests read.
        List<String> warmUp = java.util.stream.Stream.generate(Api::newKey).limit(32).toList();
        warmUp.forEach(k -> assign(k, "free", "{\"minute\": null, \"day\": null, \"second\": {\"limit\": 1000000, "
                + "\"window\": 1}}"));
        run(pool, warmUp, System.nanoTime() + Duration.ofSeconds(2).toNanos(), d -> { });
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(4).toNanos();
        run(pool, List.of(key), end, d -> {
                    if (d.source() != Source.REDIS && d.source() != Source.HOT_CACHE) {
                        other.incrementAndGet();
                    } else if (d.allowed()) {
                        allowed.incrementAndGet();
                    } else if (d.retryAfterMicros() > intervalMicros) {
                        // A refusal is only right when less than one request's share is left: the next
                        // unit is at most one interval away.
                        refusedWithQuotaLeft.incrementAndGet();
                    }
        });
        // The window in which requests were issued; the ones still in flight at its end arrive about as late
        // as the first ones did after its start.
        long elapsedNanos = end - start;
        pool.shutdown();
        double theory = BURST + RATE * elapsedNanos / 1e9;
        assertThat(other.get()).as("decisions not made by Redis").isZero();
        assertThat(refusedWithQuotaLeft.get()).isZero();
        assertThat((double) allowed.get()).as("allowed vs theory %.1f", theory)
                .isBetween(theory * 0.99 - 1, theory * 1.01 + 1);
    }

    /** Client c checks keys.get(c % keys.size()) until the end. */
    private void run(ExecutorService pool, List<String> keys, long endNanos, Consumer<Decision> each)
            throws Exception {
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            String key = keys.get(c % keys.size());
            clients.add(pool.submit(() -> {
                while (System.nanoTime() < endNanos) {
                    each.accept(service.check(key, null, 1).await().atMost(Duration.ofSeconds(10)));
                }
            }));
        }
        for (Future<?> f : clients) {
            f.get();
        }
    }
}
