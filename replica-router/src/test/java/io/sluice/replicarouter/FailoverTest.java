package io.sluice.replicarouter;

import static io.restassured.RestAssured.given;
import static io.sluice.replicarouter.RouterClient.nodeOf;
import static io.sluice.replicarouter.RouterClient.post;
import static io.sluice.replicarouter.RouterClient.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;

/** RB-2/RB-4 against real servers: refuse while the primary lives, drill, promote, never go back to a stale one. */
@QuarkusTest
@TestProfile(FailoverProfile.class)
@WithTestResource(SluiceInfraResource.class)
class FailoverTest {

    private static final String ADMIN = "Bearer test-admin-token";
    private static final String TOPOLOGY = "sluice:replicarouter:{nodes}:topology";

    private final SluiceInfra infra = SluiceInfra.get();

    private static Response failover(String body) {
        return given().header("Authorization", ADMIN).contentType("application/json").body(body)
                .when().post("/v1/admin/failover");
    }

    @Test
    void promoteTheSpareAfterThePrimaryDiesAndNeverWriteToTheOldOneAgain() {
        RoutingTest.awaitNodeUp("spare");
        String t = "fo_" + UUID.randomUUID().toString().replace("-", "");
        post(sql("CREATE TABLE " + t + " (id int)")).then().statusCode(200);
        infra.awaitReplayed(FailoverProfile.spare, Duration.ofSeconds(10));
        try {
            // While the primary answers: refused; the drill (dry run, forced) changes nothing.
            failover("{\"promote\": \"spare\"}").then().statusCode(409)
                    .contentType("application/problem+json").body("type", endsWith("/failover-refused"))
                    .body("detail", containsString("still answers"));
            failover("{\"promote\": \"spare\", \"force\": true, \"dry_run\": true}").then().statusCode(200)
                    .body("dry_run", is(true)).body("oldPrimaryReachable", is(true));
            assertThat(FailoverProfile.spare.isInRecovery()).isTrue();

            infra.primary().kill();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().when().get("/v1/nodes").then()
                    .body("find { it.name == 'primary' }.up", is(false)));

            Response done = failover("{\"promote\": \"spare\"}");
            done.then().statusCode(200).body("dry_run", is(false)).body("promoted", is("spare"))
                    .body("oldPrimary", is("primary")).body("oldPrimaryReachable", is(false));
            assertThat(done.jsonPath().getLong("epoch")).isPositive();
            assertThat(done.jsonPath().getList("replicasFollowingOldPrimary.node")).contains("replica1");
            assertThat(FailoverProfile.spare.isInRecovery()).isFalse();
            assertThat(infra.redis().command("HGET", TOPOLOGY, "primary")).isEqualTo("spare");

            Response write = post(sql("INSERT INTO " + t + " VALUES (1)"));
            assertThat(write.statusCode()).isEqualTo(200);
            assertThat(nodeOf(write)).isEqualTo("spare");

            // The old primary comes back as it was: it claims to be primary, but the topology says otherwise.
            infra.primary().start();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().when().get("/v1/nodes").then()
                    .body("find { it.name == 'primary' }.up", is(true))
                    .body("find { it.name == 'primary' }.stale", is(true)));
            for (int i = 0; i < 3; i++) {
                assertThat(nodeOf(post(sql("INSERT INTO " + t + " VALUES (2)")))).isEqualTo("spare");
            }
            assertThat(FailoverProfile.spare.queryValue("SELECT count(*) FROM " + t)).isEqualTo("4");
        } finally {
            infra.removeExtraReplica(FailoverProfile.spare);
            infra.redis().command("DEL", TOPOLOGY);
            infra.heal();
        }
    }

    @Test
    void failoverNeedsTheAdminTokenAndAnUpReplica() {
        given().contentType("application/json").body("{\"promote\": \"replica1\"}")
                .when().post("/v1/admin/failover").then().statusCode(401);
        failover("{\"promote\": \"nowhere\"}").then().statusCode(404);
        failover("{}").then().statusCode(400).body("errors[0].field", is("promote"));
        failover("{\"promote\": \"primary\"}").then().statusCode(409).body("detail", containsString("not an up replica"));
    }
}
