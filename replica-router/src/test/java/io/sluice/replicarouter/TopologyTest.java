package io.sluice.replicarouter;

import static io.restassured.RestAssured.given;
import static io.sluice.replicarouter.RouterClient.post;
import static io.sluice.replicarouter.RouterClient.sql;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.sluice.testing.PostgresNode;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;

/**
 * Two names for one server are one primary; two servers that both claim to be the primary (a replica promoted
 * behind the router's back, no failover recorded) are a split brain: writes are refused with a problem that names
 * them, until one is gone.
 */
@QuarkusTest
@TestProfile(TopologyTest.AliasAndTwin.class)
@WithTestResource(SluiceInfraResource.class)
class TopologyTest {

    static PostgresNode twin;

    /** "alias" reaches the primary as localhost; "twin" is a spare replica the test promotes by hand. */
    public static class AliasAndTwin implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Twin.class));
        }
    }

    /** Starts the twin replica once per JVM and names both extra nodes. */
    public static class Twin implements QuarkusTestResourceLifecycleManager {
        @Override
        public synchronized Map<String, String> start() {
            if (twin == null) {
                twin = SluiceInfra.get().startExtraReplica();
            }
            return Map.of("replica-router.nodes.alias.url",
                    "postgresql://localhost:" + SluiceInfra.get().primary().port() + "/" + PostgresNode.DATABASE,
                    "replica-router.nodes.twin.url", twin.reactiveUrl());
        }

        @Override
        public void stop() {
            // The test removes the twin; the harness removes anything left at JVM exit.
        }
    }

    @Test
    void anotherNameForThePrimaryIsTheSameNodeAndATwinPrimaryIsASplitBrain() {
        RoutingTest.awaitNodeUp("alias");
        RoutingTest.awaitNodeUp("twin");
        post(sql("SELECT 1")).then().statusCode(200);
        // Of two names for one server, the first by name is the one writes are sent to and reported under.
        post(sql("CREATE TABLE IF NOT EXISTS topology_probe (id int)")).then().statusCode(200)
                .header("Sluice-Node", is("alias"));
        given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'replica-router-nodes' }.data.writes", is("go to alias"))
                .body("checks.find { it.name == 'replica-router-nodes' }.data.primary",
                        containsString("the same server as the primary"));
        try {
            twin.promote();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> post(sql("INSERT INTO topology_probe VALUES (1)"))
                    .then().statusCode(503).contentType("application/problem+json")
                    .body("type", endsWith("/split-brain"))
                    .body("detail", containsString("[alias, twin]")));
            given().get("/q/health/ready").then()
                    .body("checks.find { it.name == 'replica-router-nodes' }.data.writes",
                            containsString("503 split-brain"));
            post(sql("SELECT 1")).then().statusCode(200);
        } finally {
            SluiceInfra.get().removeExtraReplica(twin);
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> post(sql("INSERT INTO topology_probe VALUES (2)"))
                .then().statusCode(200).header("Sluice-Node", is("alias")));
    }
}
