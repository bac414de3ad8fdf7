package io.sluice.querymonitor.sample;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

import io.sluice.common.problem.CommonProblem;
import io.sluice.common.problem.FieldError;
import io.sluice.common.problem.ProblemException;
import io.sluice.common.tracing.Traceparents;

/** Checks a whole batch before anything is applied, and names the first bad entry. */
public final class SampleValidator {

    public static final int MAX_BATCH = 1000;
    public static final int MAX_SQL = 100_000;
    private static final Pattern FINGERPRINT = Pattern.compile("[0-9a-f]{16}");
    /** W3C trace-context version 00; all-zero ids are refused too (checked with the propagator). */
    private static final Pattern TRACEPARENT = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,63}");
    private static final double MAX_DURATION_MS = Duration.ofDays(1).toMillis();
    /** Older samples would land in buckets that have already expired. */
    private static final Duration MAX_AGE = Duration.ofHours(24);
    private static final Duration MAX_SKEW = Duration.ofMinutes(5);

    private SampleValidator() {
    }

    public static void validate(List<Sample> samples, Instant now) {
        if (samples == null || samples.isEmpty()) {
            throw invalid("samples", "must hold 1 to " + MAX_BATCH + " samples");
        }
        if (samples.size() > MAX_BATCH) {
            throw invalid("samples", "at most " + MAX_BATCH + " samples per batch, got " + samples.size());
        }
        for (int i = 0; i < samples.size(); i++) {
            String problem = check(samples.get(i), now);
            if (problem != null) {
                int colon = problem.indexOf(':');
                throw invalid("samples[" + i + "]." + problem.substring(0, colon), problem.substring(colon + 2));
            }
        }
    }

    /** "field: message" for the first thing wrong with the sample, or null. */
    private static String check(Sample s, Instant now) {
        if (s == null) {
            return "sql: the sample is null";
        }
        if (s.sql() == null && s.fingerprint() == null) {
            return "sql: sql or fingerprint is required";
        }
        if (s.sql() != null && s.sql().isBlank()) {
            return "sql: must not be blank";
        }
        if (s.sql() != null && s.sql().length() > MAX_SQL) {
            return "sql: longer than " + MAX_SQL + " characters";
        }
        if (s.fingerprint() != null && !FINGERPRINT.matcher(s.fingerprint()).matches()) {
            return "fingerprint: must be 16 lower-case hex digits";
        }
        if (s.durationMs() == null) {
            return "duration_ms: is required";
        }
        if (!Double.isFinite(s.durationMs()) || s.durationMs() < 0 || s.durationMs() > MAX_DURATION_MS) {
            return "duration_ms: must be between 0 and " + (long) MAX_DURATION_MS;
        }
        if (s.rows() != null && s.rows() < 0) {
            return "rows: must not be negative";
        }
        if (s.database() != null && !NAME.matcher(s.database()).matches()) {
            return "database: must match " + NAME.pattern();
        }
        if (s.node() != null && !NAME.matcher(s.node()).matches()) {
            return "node: must match " + NAME.pattern();
        }
        if (s.source() != null && !NAME.matcher(s.source()).matches()) {
            return "source: must match " + NAME.pattern();
        }
        if (s.error() != null && (s.error().isBlank() || s.error().length() > 64)) {
            return "error: must be a code of 1 to 64 characters";
        }
        if (s.requestId() != null && s.requestId().length() > 128) {
            return "request_id: longer than 128 characters";
        }
        if (s.traceparent() != null && (!TRACEPARENT.matcher(s.traceparent()).matches()
                || !Traceparents.spanContext(s.traceparent()).isValid())) {
            return "traceparent: must be a W3C traceparent 00-<32 hex trace id>-<16 hex span id>-<2 hex flags>";
        }
        if (s.timestamp() != null
                && (s.timestamp().isAfter(now.plus(MAX_SKEW)) || s.timestamp().isBefore(now.minus(MAX_AGE)))) {
            return "timestamp: must be within the last 24 h (and at most 5 min ahead)";
        }
        return null;
    }

    private static ProblemException invalid(String field, String message) {
        return new ProblemException(CommonProblem.VALIDATION_FAILED, field + ": " + message + "; nothing was applied")
                .withErrors(List.of(new FieldError(field, message)));
    }
}
