package io.sluice.querymonitor.validation;

import static io.sluice.querymonitor.validation.RouterTargets.pct;
import static io.sluice.querymonitor.validation.TargetResult.Target.CACHE_HIT_RATE;
import static io.sluice.querymonitor.validation.TargetResult.Target.DB_QUERY_REDUCTION;

/** cache-hit-rate and db-query-reduction, from cache-service's /q/metrics. */
final class CacheTargets {

    private CacheTargets() {
    }

    static TargetResult hitRate(Scraped cache, ValidationConfig config) {
        String threshold = ">= " + pct(config.minCacheHitRate()) + " after " + config.cacheWarmUpLookups()
                + " lookups";
        String source = CacheFigures.LOOKUPS + ": outcome hit|stale / hit|stale|miss|bypass";
        if (!cache.ok()) {
            return TargetResult.unknown(CACHE_HIT_RATE, threshold, source, cache.why());
        }
        double lookups = cache.delta().get(CacheFigures.ALL);
        double hits = cache.delta().get(CacheFigures.HITS);
        String span = cache.delta().span(cache.at());
        if (lookups < config.cacheWarmUpLookups()) {
            return TargetResult.unknown(CACHE_HIT_RATE, threshold, source, "warming up: " + (long) lookups
                    + " lookups " + span + " (needs " + config.cacheWarmUpLookups() + ")");
        }
        double rate = hits / lookups;
        return TargetResult.judge(rate >= config.minCacheHitRate(), CACHE_HIT_RATE, threshold, rate, "ratio",
                source, (long) hits + " of " + (long) lookups + " lookups served from the cache " + span);
    }

    /**
     * Without the cache every query lookup would be a database query; with it, only the loads are (misses,
     * early refreshes, stale revalidations, bypasses). Values apps compute and store themselves are loaded by the
     * app on a miss, which cache-service does not see: their misses are not counted as database queries here.
     */
    static TargetResult dbQueryReduction(Scraped cache, ValidationConfig config) {
        String threshold = ">= " + pct(config.minDbQueryReduction());
        String source = "1 - " + CacheFigures.LOADS + " / " + CacheFigures.LOOKUPS + " (hit|stale|miss|bypass)";
        if (!cache.ok()) {
            return TargetResult.unknown(DB_QUERY_REDUCTION, threshold, source, cache.why());
        }
        double lookups = cache.delta().get(CacheFigures.ALL);
        double loads = cache.delta().get(CacheFigures.LOAD_COUNT);
        String span = cache.delta().span(cache.at());
        if (lookups < config.cacheWarmUpLookups()) {
            return TargetResult.unknown(DB_QUERY_REDUCTION, threshold, source, "warming up: " + (long) lookups
                    + " lookups " + span + " (needs " + config.cacheWarmUpLookups() + ")");
        }
        double reduction = Math.max(0, 1 - loads / lookups);
        return TargetResult.judge(reduction >= config.minDbQueryReduction(), DB_QUERY_REDUCTION, threshold,
                reduction, "ratio", source, (long) loads + " database loads for " + (long) lookups + " lookups "
                        + span);
    }
}
