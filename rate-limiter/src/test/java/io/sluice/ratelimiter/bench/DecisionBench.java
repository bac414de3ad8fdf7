package io.sluice.ratelimiter.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.bucket4j.redis.lettuce.cas.LettuceBasedProxyManager;
import io.lettuce.core.RedisClient;
import io.lettuce.core.codec.ByteArrayCodec;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.ratelimiter.gcra.RateLimitService;
import io.sluice.ratelimiter.gcra.Source;
import io.sluice.ratelimiter.outage.OutageMode;
import io.sluice.ratelimiter.policy.Policy;
import io.sluice.ratelimiter.tier.Catalogue;
import io.sluice.ratelimiter.tier.CatalogueStore;
import io.sluice.ratelimiter.tier.Tier;
import io.sluice.ratelimiter.tier.TierCatalogue;
import io.sluice.ratelimiter.tier.TierSpec;
import io.sluice.testing.SluiceInfraResource;

/**
 * Not a test: the in-process half of deploy/bench/rate-limiter-bench.sh (runs only with -Dsluice.bench=true).
 * The Java decision API vs Bucket4j (Lettuce, CAS) with the same two limits, closed loop with a fixed number of
 * requests in flight, one hot key and 100,000 distinct keys. Both limits are high enough that every request is
 * allowed, so each call does the full read-decide-write in Redis. One line per run goes to sluice.bench.out.
 */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
@EnabledIfSystemProperty(named = "sluice.bench", matches = "true")
class DecisionBench {

    private static final long PER_MINUTE = 6_000_000;
    private static final long BURST = 1_000_000;
    private static final long PER_DAY = 1_000_000_000;
    private static final int KEYS = 100_000;

    @Inject
    RateLimitService service;

    @Inject
    TierCatalogue catalogue;

    @Inject
    CatalogueStore store;

    @ConfigProperty(name = "sluice.test.redis.url")
    String redisUrl;

    @Test
    void compareWithBucket4j() throws Exception {
        int inFlight = Integer.getInteger("sluice.bench.concurrency", 64);
        Duration duration = Duration.ofSeconds(Integer.getInteger("sluice.bench.seconds", 10));
        Duration warmUp = Duration.ofSeconds(Integer.getInteger("sluice.bench.warmup", 10));
        Path out = Path.of(System.getProperty("sluice.bench.out", "target/decision-bench.txt"));
        Catalogue bench = new Catalogue("bench-" + System.nanoTime(), Map.of(Tier.FREE, new TierSpec(List.of(
                new Policy("minute", PER_MINUTE, 60, BURST, false),
                new Policy("day", PER_DAY, 86_400, PER_DAY, false)), false, OutageMode.LOCAL),
                Tier.STANDARD, catalogue.current().tiers().get(Tier.STANDARD),
                Tier.PRO, catalogue.current().tiers().get(Tier.PRO),
                Tier.ENTERPRISE, catalogue.current().tiers().get(Tier.ENTERPRISE)));
        // Saved, not only adopted: the scheduled re-read would otherwise put the defaults back (free: 60/min)
        // within a fraction of a second, and the hot key would then be refused, not decided.
        store.save(bench).await().atMost(Duration.ofSeconds(10));
        catalogue.adopt(bench);

        RedisClient client = RedisClient.create(redisUrl);
        var connection = client.connect(ByteArrayCodec.INSTANCE);
        LettuceBasedProxyManager<byte[]> buckets = Bucket4jLettuce.casBasedBuilder(connection)
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                        Duration.ofMinutes(1)))
                .build();
        BucketConfiguration config = BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(BURST).refillGreedy(PER_MINUTE, Duration.ofMinutes(1)).build())
                .addLimit(Bandwidth.builder().capacity(PER_DAY).refillGreedy(PER_DAY, Duration.ofDays(1)).build())
                .build();
        Supplier<CompletableFuture<BucketConfiguration>> cfg = () -> CompletableFuture.completedFuture(config);

        StringBuilder lines = new StringBuilder();
        for (String keys : List.of("hot", "distinct")) {
            Supplier<String> key = keys.equals("hot") ? () -> "bench-hot"
                    : () -> "bench-" + ThreadLocalRandom.current().nextInt(KEYS);
            // A decision not made by Redis (timeout, breaker open) counts as an error: it did not do the work.
            Supplier<CompletionStage<?>> sluice = () -> service.check(key.get(), null, 1).subscribeAsCompletionStage()
                    .thenApply(d -> {
                        if (d.source() != Source.REDIS) {
                            throw new IllegalStateException("decided by " + d.source().id());
                        }
                        return d;
                    });
            Supplier<CompletionStage<?>> bucket4j = () -> {
                AsyncBucketProxy b = buckets.asAsync().builder().build(key.get().getBytes(), cfg);
                return b.tryConsume(1);
            };
            for (var run : List.of(Map.entry("sluice-java", sluice), Map.entry("bucket4j-lettuce", bucket4j))) {
                run(run.getValue(), inFlight, warmUp); // JIT and connections, unmeasured
                String line = run.getKey() + " " + keys + " " + run(run.getValue(), inFlight, duration);
                System.out.println("[bench] " + line);
                lines.append(line).append('\n');
            }
        }
        connection.close();
        client.shutdown();
        write(out, lines.toString());
    }

    /** @return "req/s p50_us p99_us errors" */
    private static String run(Supplier<CompletionStage<?>> op, int inFlight, Duration duration) throws Exception {
        Recorder recorder = new Recorder(3);
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        CountDownLatch done = new CountDownLatch(inFlight);
        for (int i = 0; i < inFlight; i++) {
            next(op, recorder, errors, end, done);
        }
        done.await(duration.toSeconds() + 30, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        Histogram h = recorder.getIntervalHistogram();
        return String.format("%.0f %d %d %d", h.getTotalCount() / seconds, h.getValueAtPercentile(50) / 1000,
                h.getValueAtPercentile(99) / 1000, errors.get());
    }

    private static void next(Supplier<CompletionStage<?>> op, Recorder recorder, AtomicLong errors, long end,
            CountDownLatch done) {
        long t0 = System.nanoTime();
        if (t0 >= end) {
            done.countDown();
            return;
        }
        op.get().whenComplete((r, e) -> {
            recorder.recordValue(System.nanoTime() - t0);
            if (e != null) {
                errors.incrementAndGet();
            }
            next(op, recorder, errors, end, done);
        });
    }

    private static void write(Path out, String text) throws IOException {
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, text);
    }
}
