package io.sluice.replicarouter;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;

/** Router instances agree on node state through Redis. */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class NodeStateSharingTest {

    private static final String KEY = "sluice:replicarouter:{nodes}:verdicts";

    private final SluiceInfra infra = SluiceInfra.get();

    @AfterEach
    void restore() {
        infra.heal();
        RoutingTest.awaitNodeUp("replica1");
    }

    @Test
    void aNodeThisInstanceSeesFailIsPublishedDownThenUp() {
        RoutingTest.awaitNodeUp("replica1");
        infra.replica().kill();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(infra.redis().command("HGET", KEY, "replica1")).startsWith("down|"));
        infra.replica().start();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(infra.redis().command("HGET", KEY, "replica1")).startsWith("up|"));
    }

    @Test
    void aDownVerdictFromAnotherInstanceIsAdoptedWithinTwoProbeIntervals() {
        RoutingTest.awaitNodeUp("replica1");
        // Another router instance saw replica1 fail just now.
        infra.redis().command("HSET", KEY, "replica1", "down|" + System.currentTimeMillis());
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        boolean sawDown = false;
        while (!sawDown && System.nanoTime() < deadline) {
            JsonPath nodes = given().when().get("/v1/nodes").jsonPath();
            sawDown = !nodes.getBoolean("find { it.name == 'replica1' }.up")
                    && nodes.getString("find { it.name == 'replica1' }.lastError").contains("another router instance");
        }
        assertThat(sawDown).as("replica1 adopted as down").isTrue();
        // Its own probes keep succeeding, so after up-after good probes it is up again, and says so in Redis.
        RoutingTest.awaitNodeUp("replica1");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(infra.redis().command("HGET", KEY, "replica1")).startsWith("up|"));
    }
}
