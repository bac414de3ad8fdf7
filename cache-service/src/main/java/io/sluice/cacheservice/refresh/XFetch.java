package io.sluice.cacheservice.refresh;

/**
 * XFetch probabilistic early expiration (Vattani et al., "Optimal Probabilistic Cache Stampede Prevention"):
 * a reader refreshes early when {@code now - delta * beta * ln(rand) >= expiry}, where delta is how long the
 * value took to compute. Slow-to-load keys start refreshing earlier, and the chance grows as expiry nears, so
 * one reader of a hot key usually refreshes it before it expires while keys nobody reads are never refreshed.
 */
public final class XFetch {

    private XFetch() {
    }

    /** @param random uniform in (0, 1] */
    public static boolean refreshEarly(long now, long expiry, long deltaMillis, double beta, double random) {
        if (beta <= 0 || now >= expiry) {
            return false;
        }
        double r = Math.max(random, Double.MIN_VALUE);
        return now - Math.max(1, deltaMillis) * beta * Math.log(r) >= expiry;
    }
}
