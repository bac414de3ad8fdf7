package io.sluice.querymonitor.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;

import io.sluice.common.history.HistorySettings;
import io.sluice.querymonitor.aggregate.Window;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "query-monitor")
public interface QueryMonitorConfig {

    /** Statements slower than this are counted as slow. */
    @WithDefault("100ms")
    Duration slowThreshold();

    /** Per-database slow thresholds, keyed by the samples' {@code database}; others use {@link #slowThreshold()}. */
    Map<String, Duration> slowThresholds();

    /** The databases whose pg_stat_statements are snapshotted, and that EXPLAIN and index advice run on. */
    Map<String, Database> databases();

    /** The configured database EXPLAIN and index advice use when a request names none. */
    @WithDefault("primary")
    String defaultDatabase();

    Aggregation aggregation();

    Snapshot snapshot();

    Explain explain();

    Advice advice();

    Regression regression();

    Verification verification();

    Metrics metrics();

    /** The chart figures kept for GET /v1/history (query-monitor.history.step, .points). */
    HistorySettings history();

    /** The admin token: EXPLAIN, verifications and the console's actions need it; none means they answer 403. */
    Admin admin();

    interface Admin {
        /** Read by common's {@code AdminToken} (the @AdminOnly guard), declared here so the key is known. */
        Optional<String> token();
    }

    interface Database {
        /** postgresql://host:port/dbname */
        String url();

        @WithDefault("postgres")
        String username();

        Optional<String> password();
    }

    interface Aggregation {
        /** How often the in-memory aggregates are added to Redis. */
        @WithDefault("1s")
        Duration flushInterval();

        /** At most this many fingerprints are tracked in memory (least recently used go first). */
        @WithDefault("10000")
        @Min(10)
        int maxFingerprints();

        /** Relative error of the percentile sketches (0.01 = 1%). */
        @WithDefault("0.01")
        @DecimalMin("0.0001")
        @DecimalMax("0.05")
        double relativeAccuracy();

        /** The list APIs consider at most this many fingerprints of a window (the ones with most total time). */
        @WithDefault("500")
        @Min(1)
        int maxCandidates();
    }

    interface Snapshot {
        @WithDefault("60s")
        Duration interval();

        @WithDefault("true")
        boolean enabled();
    }

    interface Explain {
        /** How long one retained sample statement per fingerprint is kept in Redis for EXPLAIN. */
        @WithDefault("24h")
        Duration sampleTtl();

        /** statement_timeout of EXPLAIN ANALYZE (and plain EXPLAIN). */
        @WithDefault("5s")
        Duration statementTimeout();

        /** A sequential scan over at least this many rows is reported in the plan summary. */
        @WithDefault("10000")
        long bigTableRows();
    }

    interface Advice {
        /** A hypothetical index is suggested only if it cuts the estimated cost by at least this fraction. */
        @WithDefault("0.5")
        @DecimalMin("0.0")
        @DecimalMax("1.0")
        double minCostReduction();

        /** How many of the slowest fingerprints (by total time) are examined. */
        @WithDefault("10")
        @Min(1)
        int fingerprints();
    }

    interface Regression {
        /** A fingerprint regressed when its p95 over the recent window exceeds k times its 24 h p95. */
        @WithDefault("2.0")
        double factor();

        /** The recent window: {@code 1m}, {@code 5m}, {@code 1h} or {@code 24h}; anything else fails start-up. */
        @WithDefault("5m")
        @WithConverter(WindowConverter.class)
        Window window();

        /** Fewer calls than this in the recent window are not judged. */
        @WithDefault("20")
        long minCalls();

        @WithDefault("60s")
        Duration interval();
    }

    interface Verification {
        /** A verification is judged once this many calls were seen after it started... */
        @WithDefault("100")
        @Min(1)
        long minCalls();

        /** ...or this much time has passed (with at least one call). */
        @WithDefault("15m")
        Duration minTime();

        /** The baseline: this window before the verification starts (1m, 5m, 1h or 24h; else start-up fails). */
        @WithDefault("1h")
        @WithConverter(WindowConverter.class)
        Window baselineWindow();

        /** Effective when p95 and mean both drop by at least this fraction; worse when p95 rises by it. */
        @WithDefault("0.2")
        double margin();
    }

    interface Metrics {
        /** Fingerprints with most total time that get their own label value in the duration histogram. */
        @WithDefault("50")
        @Min(0)
        int topK();

        /** How often the top K is read back from the fleet's shared figures (the last hour's total time). */
        @WithDefault("30s")
        Duration topKRefresh();

        /** Fingerprints (most total time over the last minute) whose percentiles each GET /v1/history point keeps. */
        @WithDefault("15")
        @Min(1)
        int historyFingerprints();
    }
}
