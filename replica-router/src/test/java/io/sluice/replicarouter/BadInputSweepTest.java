package io.sluice.replicarouter;

import static io.restassured.RestAssured.given;

import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.sluice.testing.BadInputSweep;
import io.sluice.testing.BadInputSweep.Endpoint;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;

/** The bad-input sweep (test-harness {@link BadInputSweep}) over every JSON endpoint of replica-router. */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class BadInputSweepTest {

    private static final String ADMIN = "Bearer test-admin-token";
    private static final String[] BAD_ADMIN = {"Bearer", "Bearer wrong-token", "Basic dGVzdDp0ZXN0",
        "Bearer " + "x".repeat(5000)};
    private static int sent;

    private static String base() {
        return RestAssured.baseURI + ":" + RestAssured.port;
    }

    private static String table() {
        String t = "sweep_" + UUID.randomUUID().toString().replace("-", "");
        SluiceInfra.get().primary().execute("CREATE TABLE " + t + " (v text)");
        return t;
    }

    private static String rows(String table) {
        return SluiceInfra.get().primary().queryValue("SELECT count(*) FROM " + table);
    }

    @Test
    void sql() {
        String t = table();
        // /sql reads text/plain as JSON on purpose: fetch() sends a string body as text/plain.
        sent += BadInputSweep.sweep(base(), Endpoint.of("POST", "/sql").alsoAccepts("text/plain")
                .body("{\"query\":\"INSERT INTO " + t + " VALUES ($1)\",\"params\":[\"x\"]}").anyJson("params")
                .badHeader("Neon-Connection-String", "not a url", "mysql://u:p@h/db",
                        "postgresql://nobody:pw@db.example/nowhere")
                .badHeader("Sluice-Route", "sideways")
                .badHeader("Sluice-Min-Lsn", "zz/zz", "-1")
                .badHeader("Sluice-Session", "not a session!", "x".repeat(5000))
                .badHeader("Sluice-Statement-Timeout", "forever", "-1s")
                .badHeader("Neon-Array-Mode", "maybe")
                .badHeader("Neon-Raw-Text-Output", "maybe")
                .state(() -> rows(t)));
    }

    @Test
    void batch() {
        String t = table();
        // /sql reads text/plain as JSON on purpose: fetch() sends a string body as text/plain.
        sent += BadInputSweep.sweep(base(), Endpoint.of("POST", "/sql").alsoAccepts("text/plain")
                .body("{\"queries\":[{\"query\":\"INSERT INTO " + t + " VALUES ($1)\",\"params\":[\"x\"]},"
                        + "{\"query\":\"INSERT INTO " + t + " VALUES ('y')\"}]}").anyJson("queries.params")
                .badHeader("Neon-Batch-Isolation-Level", "Chaos")
                .badHeader("Neon-Batch-Read-Only", "maybe")
                .badHeader("Neon-Batch-Deferrable", "maybe")
                .state(() -> rows(t)));
    }

    @Test
    void bulk() {
        String t = table();
        sent += BadInputSweep.sweep(base(), Endpoint.of("POST", "/v1/bulk")
                .body("{\"query\":\"INSERT INTO " + t + " VALUES ($1)\",\"rows\":[[\"a\"],[\"b\"]],\"chunk_size\":1,"
                        + "\"parallelism\":1,\"isolation\":\"read_committed\",\"mode\":\"atomic\"}").anyJson("rows")
                .state(() -> rows(t)));
    }

    @Test
    void poolSize() {
        int size = given().get("/v1/pools").then().statusCode(200).extract().path("find { it.node == 'replica1' }.maxSize");
        sent += BadInputSweep.sweep(base(), Endpoint.of("PUT", "/v1/admin/pools/{}").pathValues("replica1")
                .header("Authorization", ADMIN).badHeader("Authorization", BAD_ADMIN)
                .badPathValues("nosuchnode").body("{\"maxSize\":" + size + "}")
                .state(() -> given().get("/v1/pools").then().extract().path("find { it.node == 'replica1' }.maxSize")));
    }

    @Test
    void failoverDryRun() {
        sent += BadInputSweep.sweep(base(), Endpoint.of("POST", "/v1/admin/failover")
                .header("Authorization", ADMIN).badHeader("Authorization", BAD_ADMIN)
                .body("{\"promote\":\"replica1\",\"force\":true,\"dry_run\":true}")
                .state(() -> given().get("/v1/nodes").then().statusCode(200).extract().path("role").toString()));
    }

    @AfterAll
    static void count() {
        System.out.println("BAD-INPUT-SWEEP replica-router: " + sent + " malformed requests, all 4xx problem+json");
    }
}
