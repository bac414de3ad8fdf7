package io.sluice.querymonitor.validation;

import static io.sluice.querymonitor.validation.RouterTargets.fmt;
import static io.sluice.querymonitor.validation.RouterTargets.pct;
import static io.sluice.querymonitor.validation.TargetResult.Target.ERROR_RATE;
import static io.sluice.querymonitor.validation.TargetResult.Target.LATENCY_P95;
import static io.sluice.querymonitor.validation.TargetResult.Target.SLOW_QUERIES;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.sluice.querymonitor.aggregate.Aggregate;
import io.sluice.querymonitor.index.CandidateExtractor;
import io.sluice.querymonitor.query.QueryStats;
import io.sluice.querymonitor.verification.Verdict.Outcome;

/**
 * error-rate, latency-p95 and slow-queries, from query-monitor's own fleet-wide figures (the samples apps and
 * replica-router report, in Redis), over the window.
 */
final class QueryTargets {

    private QueryTargets() {
    }

    /** {@code all} = every fingerprint's aggregate in the window merged; null when Redis could not be read. */
    static TargetResult errorRate(Aggregate all, String unreadable, String window, ValidationConfig config) {
        String threshold = "< " + pct(config.maxErrorRate());
        String source = "GET /metrics/queries?window=" + window + " (errors / calls of every reported sample)";
        if (all == null) {
            return TargetResult.unknown(ERROR_RATE, threshold, source, unreadable);
        }
        if (all.calls() < config.minCalls()) {
            return TargetResult.unknown(ERROR_RATE, threshold, source, "no traffic yet: " + all.calls()
                    + " reported calls in " + window + " (needs " + config.minCalls() + ")");
        }
        double rate = (double) all.errors() / all.calls();
        return TargetResult.judge(rate < config.maxErrorRate(), ERROR_RATE, threshold, rate, "ratio", source,
                all.errors() + " errors in " + all.calls() + " calls");
    }

    static TargetResult latency(Aggregate all, String unreadable, String window, ValidationConfig config) {
        double limitMs = config.maxP95().toNanos() / 1e6;
        String threshold = "<= " + fmt(limitMs) + " ms";
        String source = "sketches of GET /metrics/queries?window=" + window + ", every fingerprint merged";
        if (all == null) {
            return TargetResult.unknown(LATENCY_P95, threshold, source, unreadable);
        }
        if (all.calls() < config.minCalls()) {
            return TargetResult.unknown(LATENCY_P95, threshold, source, "no traffic yet: " + all.calls()
                    + " reported calls in " + window + " (needs " + config.minCalls() + ")");
        }
        double p95 = all.quantileMs(0.95);
        return TargetResult.judge(p95 <= limitMs, LATENCY_P95, threshold, p95, "ms", source,
                "p95 " + fmt(p95) + " ms over " + all.calls() + " calls");
    }

    /**
     * Pass when no fingerprint was slow in the window, or every slow one is covered by an index verification
     * that found the index EFFECTIVE. A slow fingerprint with no verification, or one whose verification found
     * the index INEFFECTIVE or WORSE, fails; one whose verification is still PENDING is unknown. A slow statement
     * no index can serve (no column it filters, joins or sorts on: ANALYZE, a bulk INSERT ... SELECT, DDL) has
     * no index to verify, nor has one that reads only the system catalogs, nor one whose database already has every
     * index it could use (a slow call of a primary-key update, say): each is named in the reason, not failed.
     */
    static TargetResult slowQueries(List<QueryStats> slow, Map<String, List<Outcome>> verdicts,
            Set<String> alreadyIndexed, String unreadable, String window, double thresholdMs) {
        String threshold = "each query > " + fmt(thresholdMs) + " ms: index verified EFFECTIVE";
        String source = "GET /v1/queries/slow?window=" + window + " and GET /v1/indexes/verifications/{id}";
        if (slow == null) {
            return TargetResult.unknown(SLOW_QUERIES, threshold, source, unreadable);
        }
        if (slow.isEmpty()) {
            return TargetResult.pass(SLOW_QUERIES, threshold, 0, "fingerprints", source,
                    "no slow query in " + window);
        }
        List<String> unverified = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        List<String> notHelped = new ArrayList<>();
        List<String> notIndexable = new ArrayList<>();
        List<String> indexed = new ArrayList<>();
        for (QueryStats s : slow) {
            if (!indexable(s.sql())) {
                notIndexable.add(s.fingerprint());
                continue;
            }
            if (alreadyIndexed.contains(s.fingerprint())) {
                indexed.add(s.fingerprint());
                continue;
            }
            List<Outcome> outcomes = verdicts.getOrDefault(s.fingerprint(), List.of());
            if (outcomes.contains(Outcome.EFFECTIVE)) {
                continue;
            }
            if (outcomes.isEmpty()) {
                unverified.add(s.fingerprint());
            } else if (outcomes.contains(Outcome.PENDING)) {
                pending.add(s.fingerprint());
            } else {
                notHelped.add(s.fingerprint());
            }
        }
        int open = unverified.size() + notHelped.size();
        if (open > 0) {
            String why = (unverified.isEmpty() ? "" : unverified.size() + " slow without a verified index: "
                    + names(unverified)) + (unverified.isEmpty() || notHelped.isEmpty() ? "" : "; ")
                    + (notHelped.isEmpty() ? "" : notHelped.size() + " whose index did not help: "
                            + names(notHelped));
            return TargetResult.fail(SLOW_QUERIES, threshold, open, "fingerprints", source, why);
        }
        if (!pending.isEmpty()) {
            return TargetResult.unknown(SLOW_QUERIES, threshold, source,
                    pending.size() + " slow with an index verification still PENDING: " + names(pending));
        }
        int verified = slow.size() - notIndexable.size() - indexed.size();
        return TargetResult.pass(SLOW_QUERIES, threshold, 0, "fingerprints", source,
                verified + " slow, each with an index verified EFFECTIVE" + (notIndexable.isEmpty() ? ""
                        : "; " + notIndexable.size() + " slow that no index can serve: " + names(notIndexable))
                        + (indexed.isEmpty() ? "" : "; " + indexed.size() + " slow whose columns are all indexed"
                                + " already (nothing left to suggest): " + names(indexed)));
    }

    /**
     * Whether an index could serve the statement: it filters, joins or sorts on a column of a table users can index
     * (the system catalogs, pg_* and information_schema, are not theirs to index).
     */
    static boolean indexable(String sql) {
        return CandidateExtractor.candidates(sql).stream().map(c -> c.table())
                .anyMatch(t -> !t.startsWith("pg_") && !t.startsWith("pg_catalog.")
                        && !t.startsWith("information_schema."));
    }

    private static String names(List<String> fingerprints) {
        return String.join(", ", fingerprints.subList(0, Math.min(3, fingerprints.size())))
                + (fingerprints.size() > 3 ? " …" : "");
    }
}
