package io.sluice.replicarouter;

import static io.restassured.RestAssured.given;
import static io.sluice.replicarouter.RouterClient.post;
import static io.sluice.replicarouter.RouterClient.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;

/**
 * One PostgreSQL is a valid topology: the replica's URL left equal to the primary's (what the launcher does with
 * only SLUICE_PG_PRIMARY_URL) is one node, not two primaries: writes work, reads run on the primary.
 */
@QuarkusTest
@TestProfile(OneNodeTest.ReplicaIsThePrimary.class)
@WithTestResource(SluiceInfraResource.class)
class OneNodeTest {

    /** replica1 configured with the primary's URL. */
    public static class ReplicaIsThePrimary implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("%test.replica-router.nodes.replica1.url", "${sluice.test.primary.url}");
        }
    }

    @Test
    void writesWorkAndReadsRunOnThePrimaryWithReasonNoReplica() {
        RoutingTest.awaitNodeUp("primary");
        String t = "one_" + UUID.randomUUID().toString().replace("-", "");
        post(sql("CREATE TABLE " + t + " (id int)")).then().statusCode(200);
        var write = post(sql("INSERT INTO " + t + " VALUES (1)"));
        write.then().statusCode(200).header("Sluice-Node", is("primary")).header("Sluice-Commit-Lsn",
                org.hamcrest.Matchers.notNullValue());
        post(sql("SELECT count(*) AS n FROM " + t)).then().statusCode(200).header("Sluice-Node", is("primary"))
                .header("Sluice-Route-Reason", is("no-replica")).body("rows[0].n", is("1"));
        assertThat(SluiceInfra.get().primary().queryValue("SELECT count(*) FROM " + t)).isEqualTo("1");

        given().get("/v1/nodes").then().statusCode(200).body("name", org.hamcrest.Matchers.contains("primary"));
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'replica-router-nodes' }.data.writes", is("go to primary"))
                .body("checks.find { it.name == 'replica-router-nodes' }.data.reads",
                        containsString("no replica is configured"));
    }
}
