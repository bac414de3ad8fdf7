package io.sluice.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.sluice.testing.ServiceProcess;
import io.sluice.testing.SluiceInfra;

/**
 * The five services as packaged jars against the harness's PostgreSQL primary + replica and Redis, wired as
 * deploy/local/sluice wires them (the shared SLUICE_* variables). Started once per test JVM, with the messaging
 * schema loaded; every system test uses the same suite. Every request is traced (SLUICE_TRACE_SAMPLE_RATIO=1)
 * and each service writes its spans to {@code <spans>/<service>.jsonl} (common's SpanFileExporter).
 */
final class Suite {

    static final String ADMIN_TOKEN = "system-admin-token";

    private static Suite instance;

    final SluiceInfra infra;
    final Path archives;
    final Path spans;
    final ServiceProcess queryMonitor;
    final ServiceProcess router;
    final ServiceProcess cache;
    final ServiceProcess limiter;
    final ServiceProcess partitions;

    static synchronized Suite get() {
        if (instance == null) {
            instance = new Suite();
        }
        return instance;
    }

    private Suite() {
        infra = SluiceInfra.get();
        infra.heal();
        loadSchema();
        try {
            archives = Files.createTempDirectory("sluice-archives");
            spans = Files.createTempDirectory("sluice-spans");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SLUICE_PG_PRIMARY_URL", infra.primary().reactiveUrl());
        env.put("SLUICE_PG_REPLICA_URL", infra.replica().reactiveUrl());
        env.put("SLUICE_PG_USER", "postgres");
        env.put("SLUICE_PG_PASSWORD", "");
        env.putAll(infra.redis().sluiceEnv());
        env.put("SLUICE_ADMIN_TOKEN", ADMIN_TOKEN);
        env.put("SLUICE_TRACE_SAMPLE_RATIO", "1");
        // The scorecard keeps a scrape of the other services at most every 5 s; evaluating every second keeps them coming.
        queryMonitor = service("query-monitor", Map.of("query-monitor.validation.interval", "1s"));
        router = service("replica-router", Map.of("replica-router.health.interval", "250ms",
                "replica-router.health.down-after", "2", "replica-router.health.up-after", "2"));
        cache = service("cache-service", Map.of());
        limiter = service("rate-limiter", Map.of());
        partitions = service("partition-manager", Map.of("partition-manager.archive.path", archives.toString()));
        env.put("SLUICE_QUERY_MONITOR_URL", queryMonitor.url());
        env.put("SLUICE_REPLICA_ROUTER_URL", router.url());
        env.put("SLUICE_CACHE_SERVICE_URL", cache.url());
        env.put("SLUICE_RATE_LIMITER_URL", limiter.url());
        env.put("SLUICE_PARTITION_MANAGER_URL", partitions.url());
        for (ServiceProcess s : all()) {
            s.env(env).start(Duration.ofSeconds(120));
        }
    }

    List<ServiceProcess> all() {
        return List.of(queryMonitor, router, cache, limiter, partitions);
    }

    private ServiceProcess service(String module, Map<String, String> properties) {
        Map<String, String> all = new LinkedHashMap<>(properties);
        all.put("sluice.tracing.span-file", spans.resolve(module + ".jsonl").toString());
        // Spans reach the file within half a second instead of the batch processor's default 5 s.
        all.put("quarkus.otel.bsp.schedule.delay", "500ms");
        return ServiceProcess.of(module, Path.of("..", module), all);
    }

    /** The schema and its reference data go straight to the primary: setup, not the workload under test. */
    private void loadSchema() {
        try (var in = Suite.class.getResourceAsStream("/messaging.sql")) {
            String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            infra.primary().execute("DROP TABLE IF EXISTS message_recipient, message, conversation, member, church"
                    + " CASCADE");
            infra.primary().execute(sql);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        infra.awaitReplayed(infra.replica(), Duration.ofSeconds(60));
    }
}
