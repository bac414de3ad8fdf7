package io.sluice.replicarouter;

import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.sluice.testing.PostgresNode;
import io.sluice.testing.SluiceInfra;

/** The router with a second streaming replica, replica2, started by the harness for this profile. */
public class TwoReplicasProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(SecondReplica.class));
    }

    /** Starts replica2 once per JVM and names it in the router's node list. */
    public static class SecondReplica implements QuarkusTestResourceLifecycleManager {

        private static PostgresNode replica2;

        @Override
        public synchronized Map<String, String> start() {
            if (replica2 == null) {
                replica2 = SluiceInfra.get().startExtraReplica();
            }
            return Map.of("replica-router.nodes.replica2.url", replica2.reactiveUrl());
        }

        @Override
        public void stop() {
            // The harness removes it at JVM exit.
        }
    }
}
