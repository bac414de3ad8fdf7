package io.sluice.replicarouter;

import static io.sluice.replicarouter.RouterClient.nodeOf;
import static io.sluice.replicarouter.RouterClient.post;
import static io.sluice.replicarouter.RouterClient.sql;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;

/** With the real Redis stopped, SQL keeps working: writes commit and answer, session reads go to the primary. */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class RedisDownTest {

    private final SluiceInfra infra = SluiceInfra.get();

    @AfterEach
    void restore() {
        infra.redis().start();
    }

    @Test
    void writesAndSessionReadsSurviveRedisBeingDown() {
        RoutingTest.awaitNodeUp("replica1");
        String t = "rd_" + UUID.randomUUID().toString().replace("-", "");
        post(sql("CREATE TABLE " + t + " (id int)")).then().statusCode(200);
        String session = "s-" + UUID.randomUUID();
        infra.redis().stop();

        Response write = post(sql("INSERT INTO " + t + " VALUES (1)").header("Sluice-Session", session));
        assertThat(write.statusCode()).as(write.body().asString()).isEqualTo(200);
        assertThat(infra.primary().queryValue("SELECT count(*) FROM " + t)).isEqualTo("1");

        Response read = post(sql("SELECT count(*) AS c FROM " + t).header("Sluice-Session", session));
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(nodeOf(read)).isEqualTo("primary");
        assertThat(read.jsonPath().getString("rows[0].c")).isEqualTo("1");

        // Plain reads still go to the replica.
        assertThat(nodeOf(post(sql("SELECT 1")))).isEqualTo("replica1");
    }
}
