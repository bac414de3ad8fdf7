package io.sluice.testing;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Feeds the harness's URLs to a {@code @QuarkusTest} application as {@code sluice.test.*} properties, which each
 * service maps onto its own configuration under the {@code %test} profile. Heals the backends before every start.
 */
public class SluiceInfraResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        var infra = SluiceInfra.get();
        infra.heal();
        Map<String, String> config = new HashMap<>();
        config.put("sluice.test.primary.url", infra.primary().reactiveUrl());
        config.put("sluice.test.primary.port", Integer.toString(infra.primary().port()));
        config.put("sluice.test.replica.url", infra.replica().reactiveUrl());
        config.put("sluice.test.replica.port", Integer.toString(infra.replica().port()));
        config.put("sluice.test.redis.url", infra.redis().url());
        config.put("sluice.test.redis.client-type", infra.redis().clientType());
        return config;
    }

    @Override
    public void stop() {
        // The backends live for the whole JVM (a shutdown hook removes them): restarting them for every
        // Quarkus test profile would cost seconds each time and prove nothing.
    }
}
