package io.sluice.replicarouter.pgwire;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The router with its wire listener on a free port, one user, and small server pools (so clients share them). */
public class WireProfile implements QuarkusTestProfile {

    static final String USER = "app";
    static final String PASSWORD = "app-secret-1";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("replica-router.wire.enabled", "true",
                "replica-router.wire.port", "0",
                "replica-router.wire.users." + USER, PASSWORD,
                "replica-router.wire.pool-size", "4");
    }
}
