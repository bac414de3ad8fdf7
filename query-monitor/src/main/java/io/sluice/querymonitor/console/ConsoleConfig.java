package io.sluice.querymonitor.console;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The console at /console: where the other services answer, and the token its actions are checked against. */
@ConfigMapping(prefix = "query-monitor.console")
public interface ConsoleConfig {

    /** Base URL of each service's public HTTP API (the launcher exports SLUICE_<SERVICE>_URL). */
    Services services();

    /** How long the console waits for one upstream call before showing the service as DOWN. */
    @WithDefault("2s")
    Duration timeout();

    /**
     * The old key of the admin token ({@code query-monitor.console.admin-token}), still honoured as the fallback of
     * {@code query-monitor.admin.token} (common's {@code AdminToken}, which everything reads). The proxy never sends
     * the token on a caller's behalf: operator reads carry the operator's own token.
     */
    Optional<String> adminToken();

    interface Services {
        @WithDefault("http://127.0.0.1:8081")
        String queryMonitor();

        @WithDefault("http://127.0.0.1:8082")
        String replicaRouter();

        @WithDefault("http://127.0.0.1:8083")
        String cacheService();

        @WithDefault("http://127.0.0.1:8084")
        String rateLimiter();

        @WithDefault("http://127.0.0.1:8085")
        String partitionManager();
    }
}
