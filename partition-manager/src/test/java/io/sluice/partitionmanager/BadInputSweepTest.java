package io.sluice.partitionmanager;

import static io.restassured.RestAssured.given;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.sluice.testing.BadInputSweep;
import io.sluice.testing.BadInputSweep.Endpoint;
import io.sluice.testing.SluiceInfraResource;

/** The bad-input sweep (test-harness {@link BadInputSweep}) over every JSON endpoint of partition-manager. */
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

    private static String sets() {
        return given().get("/v1/partition-sets").then().statusCode(200).extract().asString();
    }

    @Test
    void plan() {
        sent += BadInputSweep.sweep(base(), Endpoint.of("POST", "/v1/partition-sets/plan")
                .body("{\"schema\":\"public\",\"table\":\"sweep_plan\",\"interval\":\"daily\",\"premake\":4}"));
    }

    @Test
    void partitionSetDryRun() {
        String t = Pg.uniqueTable("sweep_set");
        sent += BadInputSweep.sweep(base(), Endpoint.of("PUT", "/v1/partition-sets/{}?dry_run=true").pathValues(t)
                .header("Authorization", ADMIN).badHeader("Authorization", BAD_ADMIN)
                .body("{\"column\":\"created_at\",\"interval\":\"daily\",\"premake\":4,\"retention\":{\"keep\":\"P7D\","
                        + "\"mode\":\"drop\"},\"timezone\":\"UTC\",\"columns\":[{\"name\":\"id\",\"type\":\"bigint\"},"
                        + "{\"name\":\"created_at\",\"type\":\"timestamptz\"}],\"primaryKey\":[\"id\",\"created_at\"]}")
                .state(BadInputSweepTest::sets));
    }

    @Test
    void conversionDryRun() {
        String t = Pg.uniqueTable("sweep_conv");
        Pg.exec("CREATE TABLE " + t + " (id bigint, created_at timestamptz NOT NULL, PRIMARY KEY (id, created_at))");
        sent += BadInputSweep.sweep(base(), Endpoint.of("POST", "/v1/conversions")
                .header("Authorization", ADMIN).badHeader("Authorization", BAD_ADMIN)
                .body("{\"table\":\"public." + t + "\",\"column\":\"created_at\",\"interval\":\"monthly\","
                        + "\"batchSize\":1000,\"throttleMs\":0,\"dryRun\":true,\"accept\":[]}")
                .state(() -> given().header("Authorization", ADMIN).get("/v1/conversions").then().statusCode(200)
                        .extract().asString()));
    }

    @Test
    void restore() {
        // No such archive: the valid request is a 404, every malformed one must be refused before it is looked up.
        sent += BadInputSweep.sweep(base(), Endpoint.of("POST", "/v1/archives/{}/restore").pathValues(java.util.UUID.randomUUID().toString())
                .header("Authorization", ADMIN).badHeader("Authorization", BAD_ADMIN)
                .body("{\"into\":\"table\",\"table\":\"public.sweep_restored\"}").validStatus(404));
    }

    @AfterAll
    static void count() {
        System.out.println("BAD-INPUT-SWEEP partition-manager: " + sent + " malformed requests, all 4xx problem+json");
    }
}
