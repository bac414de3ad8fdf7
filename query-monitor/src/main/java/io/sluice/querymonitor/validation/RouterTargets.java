package io.sluice.querymonitor.validation;

import static io.sluice.querymonitor.validation.TargetResult.Target.POOL_UTILIZATION;
import static io.sluice.querymonitor.validation.TargetResult.Target.REPLICATION_LAG;
import static io.sluice.querymonitor.validation.TargetResult.Target.REPLICA_READS;

import java.util.Locale;

/** replication-lag, replica-reads and pool-utilization, from replica-router's /q/metrics. */
final class RouterTargets {

    private RouterTargets() {
    }

    /** The highest lag of any replica over the window (each evaluation's scrape and now). */
    static TargetResult lag(Scraped router, ValidationConfig config) {
        double limit = config.maxReplicaLag().toMillis() / 1000.0;
        String threshold = "< " + fmt(limit) + " s";
        String source = RouterFigures.LAG + " (max over the window)";
        if (!router.ok()) {
            return TargetResult.unknown(REPLICATION_LAG, threshold, source, router.why());
        }
        var nodes = router.keys("lag.");
        if (nodes.isEmpty()) {
            return TargetResult.unknown(REPLICATION_LAG, threshold, source, "replica-router reports no replica");
        }
        String worst = null;
        double max = -1;
        for (String key : nodes) {
            double v = router.max(key);
            if (v > max) {
                max = v;
                worst = key.substring("lag.".length());
            }
        }
        long down = router.keys("up.").stream().filter(k -> router.now().get(k) < 1.0).count();
        if (down == nodes.size()) {
            return TargetResult.fail(REPLICATION_LAG, threshold, max, "s", source,
                    "no replica is up: reads go to the primary");
        }
        return TargetResult.judge(max < limit, REPLICATION_LAG, threshold, max, "s", source,
                "highest lag " + fmt(max) + " s (" + worst + ")");
    }

    static TargetResult replicaReads(Scraped router, ValidationConfig config) {
        String threshold = ">= " + pct(config.minReplicaReadShare());
        String source = RouterFigures.ROUTED + ": target=\"replica\" / (that + target=\"primary\" with reason"
                + " lag|fallback|no-replica)";
        if (!router.ok()) {
            return TargetResult.unknown(REPLICA_READS, threshold, source, router.why());
        }
        double onReplica = router.delta().get(RouterFigures.REPLICA_READS);
        double reads = onReplica + router.delta().get(RouterFigures.PRIMARY_READS);
        String span = router.delta().span(router.at());
        if (reads < config.minRoutedStatements()) {
            return TargetResult.unknown(REPLICA_READS, threshold, source,
                    "no traffic yet: " + (long) reads + " reads " + span + " (needs " + config.minRoutedStatements()
                            + ")");
        }
        double share = onReplica / reads;
        return TargetResult.judge(share >= config.minReplicaReadShare(), REPLICA_READS, threshold, share, "ratio",
                source, (long) onReplica + " of " + (long) reads + " reads on replicas " + span);
    }

    /** The busiest node's mean utilisation over the scrapes in the window. */
    static TargetResult pool(Scraped router, ValidationConfig config) {
        String threshold = pct(config.minPoolUtilization()) + " to " + pct(config.maxPoolUtilization());
        String source = RouterFigures.UTILISATION + " (busiest node, mean over the window's scrapes)";
        if (!router.ok()) {
            return TargetResult.unknown(POOL_UTILIZATION, threshold, source, router.why());
        }
        double statements = router.delta().get(RouterFigures.STATEMENT_COUNT);
        String span = router.delta().span(router.at());
        if (statements < config.minRoutedStatements()) {
            return TargetResult.unknown(POOL_UTILIZATION, threshold, source,
                    "no traffic yet: " + (long) statements + " statements " + span + " (needs "
                            + config.minRoutedStatements() + ")");
        }
        String busiest = null;
        double max = -1;
        for (String key : router.keys("pool.")) {
            double v = router.mean(key);
            if (v > max) {
                max = v;
                busiest = key.substring("pool.".length());
            }
        }
        if (busiest == null) {
            return TargetResult.unknown(POOL_UTILIZATION, threshold, source, "replica-router reports no pool");
        }
        double inUse = router.mean("inuse." + busiest);
        if (inUse < config.minPoolInUse()) {
            return TargetResult.unknown(POOL_UTILIZATION, threshold, source, "too little load to judge the pool's"
                    + " size: busiest pool " + busiest + " at " + pct(max) + " with " + fmt(inUse)
                    + " connections in use on average " + span + " (needs " + fmt(config.minPoolInUse()) + ")");
        }
        boolean ok = max >= config.minPoolUtilization() && max <= config.maxPoolUtilization();
        String why = max < config.minPoolUtilization() ? " (oversized for this load: RB-5's recommendation)"
                : max > config.maxPoolUtilization() ? " (near exhaustion: RB-6)" : "";
        return TargetResult.judge(ok, POOL_UTILIZATION, threshold, max, "ratio", source,
                "busiest pool " + busiest + " at " + pct(max) + " on average" + why);
    }

    static String pct(double ratio) {
        return String.format(Locale.ROOT, "%.1f %%", ratio * 100).replace(".0 %", " %");
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
