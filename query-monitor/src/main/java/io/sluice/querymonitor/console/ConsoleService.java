package io.sluice.querymonitor.console;

import java.util.Arrays;
import java.util.Optional;

/** The five services the console shows, by the name used in its URLs. */
public enum ConsoleService {
    QUERY_MONITOR("query-monitor"),
    REPLICA_ROUTER("replica-router"),
    CACHE_SERVICE("cache-service"),
    RATE_LIMITER("rate-limiter"),
    PARTITION_MANAGER("partition-manager");

    private final String id;

    ConsoleService(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Optional<ConsoleService> byId(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
    }

    /** The configured base URL, without a trailing slash. */
    public String baseUrl(ConsoleConfig config) {
        var s = config.services();
        String url = switch (this) {
            case QUERY_MONITOR -> s.queryMonitor();
            case REPLICA_ROUTER -> s.replicaRouter();
            case CACHE_SERVICE -> s.cacheService();
            case RATE_LIMITER -> s.rateLimiter();
            case PARTITION_MANAGER -> s.partitionManager();
        };
        return url.replaceAll("/+$", "");
    }
}
