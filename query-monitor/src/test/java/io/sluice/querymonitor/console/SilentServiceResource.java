package io.sluice.querymonitor.console;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The console's view of the services in tests: a real listening socket that never answers (the kernel accepts
 * the connection, nobody reads: a hung service) for cache-service, and a closed port (connection refused) for the
 * others. Our services themselves are not run in a QuarkusTest.
 */
public class SilentServiceResource implements QuarkusTestResourceLifecycleManager {

    static final String REFUSED = "http://127.0.0.1:1";
    private ServerSocket silent;

    @Override
    public Map<String, String> start() {
        try {
            silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of(
                "query-monitor.console.services.query-monitor", REFUSED,
                "query-monitor.console.services.replica-router", REFUSED,
                "query-monitor.console.services.cache-service", "http://127.0.0.1:" + silent.getLocalPort(),
                "query-monitor.console.services.rate-limiter", REFUSED,
                "query-monitor.console.services.partition-manager", REFUSED,
                "query-monitor.console.timeout", "1s");
    }

    @Override
    public void stop() {
        try {
            if (silent != null) {
                silent.close();
            }
        } catch (IOException e) {
            // closing at shutdown: nothing to do
        }
    }
}
