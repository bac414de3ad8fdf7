package io.sluice.replicarouter;

import static io.sluice.replicarouter.RouterClient.nodeOf;
import static io.sluice.replicarouter.RouterClient.post;
import static io.sluice.replicarouter.RouterClient.sql;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.sluice.testing.SluiceInfraResource;

@QuarkusTest
@TestProfile(TwoReplicasProfile.class)
@WithTestResource(SluiceInfraResource.class)
class TwoReplicasTest {

    @Test
    void readsAlternateBetweenTwoHealthyReplicas() {
        RoutingTest.awaitNodeUp("replica1");
        RoutingTest.awaitNodeUp("replica2");
        List<String> nodes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            nodes.add(nodeOf(post(sql("SELECT 1"))));
        }
        // Round-robin: the two replicas take turns, the primary gets no read.
        assertThat(nodes).containsOnly("replica1", "replica2");
        for (int i = 1; i < nodes.size(); i++) {
            assertThat(nodes.get(i)).isNotEqualTo(nodes.get(i - 1));
        }
    }
}
