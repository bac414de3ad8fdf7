package io.sluice.replicarouter;

import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.sluice.testing.PostgresNode;
import io.sluice.testing.SluiceInfra;

/** The router with a spare streaming replica that the failover test may promote and then throw away. */
public class FailoverProfile implements QuarkusTestProfile {

    static PostgresNode spare;

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Spare.class));
    }

    /** Starts the spare once per JVM. */
    public static class Spare implements QuarkusTestResourceLifecycleManager {

        @Override
        public synchronized Map<String, String> start() {
            if (spare == null) {
                spare = SluiceInfra.get().startExtraReplica();
            }
            return Map.of("replica-router.nodes.spare.url", spare.reactiveUrl());
        }

        @Override
        public void stop() {
            // FailoverTest removes it; the harness removes anything left at JVM exit.
        }
    }
}
