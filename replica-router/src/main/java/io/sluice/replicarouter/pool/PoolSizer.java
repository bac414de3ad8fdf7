package io.sluice.replicarouter.pool;

/**
 * Little's law sizing: connections busy on average L = throughput x mean hold time; at a target utilisation u the
 * pool needs L / u connections, at least 2, at most what the server can give this router instance.
 */
public final class PoolSizer {

    public static final double TARGET_UTILISATION = 0.7;

    private PoolSizer() {
    }

    /** A recommended size and the reasoning behind it, in words an operator can check. */
    public record Recommendation(int size, String reasoning) {
    }

    /**
     * @param throughput statements per second over the observed window
     * @param meanHoldSeconds mean time a statement holds a connection
     * @param serverLimit connections this instance may use on the server (max_connections minus reserved, divided
     *        by router instances), or -1 when unknown
     */
    public static Recommendation recommend(double throughput, double meanHoldSeconds, int currentSize,
            int serverLimit) {
        double busy = throughput * meanHoldSeconds;
        int wanted = Math.max(2, (int) Math.ceil(busy / TARGET_UTILISATION));
        int size = serverLimit > 0 ? Math.min(wanted, serverLimit) : wanted;
        String reasoning = String.format(
                "Little's law: %.1f statements/s x %.2f ms mean hold = %.2f connections busy on average; "
                        + "at the %.0f%% utilisation target that needs %d (minimum 2)%s. Current size %d.",
                throughput, meanHoldSeconds * 1000, busy, TARGET_UTILISATION * 100, wanted,
                serverLimit > 0 ? (wanted > serverLimit
                        ? ", capped at " + serverLimit + " by the server's max_connections minus reserved slots"
                        : "; the server allows up to " + serverLimit)
                        : "; the server's max_connections could not be read",
                currentSize);
        return new Recommendation(size, reasoning);
    }
}
