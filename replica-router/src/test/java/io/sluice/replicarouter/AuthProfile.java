package io.sluice.replicarouter;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The router with client tokens configured. */
public class AuthProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("replica-router.auth.client-tokens", "token-a,token-b");
    }
}
