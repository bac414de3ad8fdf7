package io.sluice.querymonitor.sample;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.Tracer;
import io.sluice.common.sql.SqlLexer;
import io.sluice.common.sql.SqlNormalizer;
import io.sluice.common.sql.Token;
import io.sluice.common.tracing.Traceparents;
import io.sluice.querymonitor.aggregate.Aggregator;
import io.sluice.querymonitor.aggregate.Target;
import io.sluice.querymonitor.aggregate.Window;
import io.sluice.querymonitor.config.QueryMonitorConfig;
import io.sluice.querymonitor.metrics.QueryMonitorMetrics;
import io.sluice.querymonitor.verification.ActiveVerifications;

/** Takes a batch in: validates all of it, fingerprints each sample and adds it to the in-memory aggregates. */
@ApplicationScoped
public class SampleService {

    /** Database name of samples that name none. */
    public static final String NO_DATABASE = "default";
    /** Links per batch span: enough to find the requests of a batch, far below the SDK's 128. */
    static final int MAX_LINKS = 32;

    private final QueryMonitorConfig config;
    private final QueryMonitorMetrics metrics;
    private final Aggregator aggregator;
    private final ActiveVerifications verifications;
    private final Clock clock;
    private final Tracer tracer;

    public SampleService(QueryMonitorConfig config, QueryMonitorMetrics metrics, Aggregator aggregator,
            ActiveVerifications verifications, Clock clock, Tracer tracer) {
        this.tracer = tracer;
        this.config = config;
        this.metrics = metrics;
        this.aggregator = aggregator;
        this.verifications = verifications;
        this.clock = clock;
    }

    /** All or nothing: an invalid sample fails the batch before anything is added. @return how many were slow */
    public int record(List<Sample> samples) {
        long started = System.nanoTime();
        Instant now = clock.instant();
        SampleValidator.validate(samples, now);
        Span span = batchSpan(samples);
        try {
            return aggregate(samples, now, started);
        } finally {
            span.end();
        }
    }

    /**
     * A batch holds samples of many requests (each maybe in its own trace), so its span is a child of the POST and
     * links to each distinct request's traceparent, up to {@link #MAX_LINKS}.
     */
    private Span batchSpan(List<Sample> samples) {
        Set<String> traceparents = new LinkedHashSet<>();
        for (Sample s : samples) {
            if (s.traceparent() != null) {
                traceparents.add(s.traceparent());
            }
        }
        SpanBuilder builder = tracer.spanBuilder("ingest samples")
                .setAttribute("sluice.samples", (long) samples.size())
                .setAttribute("sluice.samples.traced", (long) traceparents.size());
        traceparents.stream().limit(MAX_LINKS).forEach(t -> Traceparents.link(builder, t));
        return builder.startSpan();
    }

    private int aggregate(List<Sample> samples, Instant now, long started) {
        List<Aggregator.Entry> entries = new ArrayList<>(samples.size());
        int slow = 0;
        for (Sample s : samples) {
            Fingerprinted f = s.sql() == null ? null : fingerprints.get(s.sql(), SampleService::fingerprinted);
            String normalized = f == null ? null : f.normalized();
            String fingerprint = f == null ? s.fingerprint() : f.fingerprint();
            // A reporter that names only the node (replica-router) merges with that node's snapshot deltas.
            String database = s.database() != null ? s.database() : s.node() != null ? s.node() : NO_DATABASE;
            Instant at = s.timestamp() == null ? now : s.timestamp();
            boolean isSlow = s.durationMs() > thresholdMs(database);
            List<Target> targets = new ArrayList<>(3);
            for (Window.Resolution res : Window.Resolution.values()) {
                targets.add(Target.bucket(fingerprint, database, res, res.bucketOf(at)));
            }
            targets.addAll(verifications.targetsFor(fingerprint));
            // A text that is not already masked can be executed again for EXPLAIN; it is kept, never shown.
            String executable = f != null && f.executable() ? s.sql() : null;
            entries.add(new Aggregator.Entry(fingerprint, normalized, executable, database, s.durationMs(),
                    s.rows() == null ? 0 : s.rows(), s.error() != null, isSlow, at.toEpochMilli(), targets));
            metrics.recordSample(fingerprint, database, Duration.ofNanos(Math.round(s.durationMs() * 1e6)), isSlow,
                    s.error() != null);
            if (isSlow) {
                slow++;
            }
        }
        aggregator.add(entries);
        metrics.recordIngest(samples.size(), System.nanoTime() - started);
        return slow;
    }

    /** Normalizing and hashing once per distinct text: reporters repeat the same statements. */
    private record Fingerprinted(String normalized, String fingerprint, boolean executable) {
    }

    private final Cache<String, Fingerprinted> fingerprints = Caffeine.newBuilder().maximumSize(10_000).build();

    private static Fingerprinted fingerprinted(String sql) {
        String normalized = SqlNormalizer.normalize(sql);
        return new Fingerprinted(normalized, SqlNormalizer.fingerprintOfNormalized(normalized), isExecutable(sql));
    }

    /** Placeholders ($1 or an already-masked ?) have no values here, so such a text cannot be explained. */
    private static boolean isExecutable(String sql) {
        return SqlLexer.tokenize(sql).stream().noneMatch(t -> t.kind() == Token.Kind.PARAMETER
                || t.kind() == Token.Kind.SYMBOL && t.text().contains("?"));
    }

    public double thresholdMs(String database) {
        Duration d = config.slowThresholds().getOrDefault(database, config.slowThreshold());
        return d.toNanos() / 1e6;
    }
}
