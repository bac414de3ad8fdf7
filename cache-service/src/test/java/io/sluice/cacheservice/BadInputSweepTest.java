package io.sluice.cacheservice;

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

/** The bad-input sweep (test-harness {@link BadInputSweep}) over every JSON endpoint of cache-service. */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class BadInputSweepTest {

    private static final String[] BAD_ADMIN = {"Bearer", "Bearer wrong-token", "Basic dGVzdDp0ZXN0",
        "Bearer " + "x".repeat(5000)};
    private static int sent;

    private static String base() {
        return RestAssured.baseURI + ":" + RestAssured.port;
    }

    /** Every Redis key of a namespace (entries, leases, tags): what a request to it could have written. */
    private static String keysOf(String ns) {
        return SluiceInfra.get().redis().command("KEYS", "sluice:cacheservice:*" + ns + "*");
    }

    @Test
    void query() {
        String ns = CacheApi.namespace();
        sent += BadInputSweep.sweep(base(), Endpoint.of("POST", "/v1/cache/query")
                .body("{\"namespace\":\"" + ns + "\",\"sql\":\"SELECT $1::text AS v\",\"params\":[\"x\"],\"ttl_s\":60,"
                        + "\"tags\":[\"t1\"],\"stale_while_revalidate_s\":5,\"stale_if_error_s\":5}")
                .anyJson("params").state(() -> keysOf(ns)));
    }

    @Test
    void putEntry() {
        String ns = CacheApi.namespace();
        sent += BadInputSweep.sweep(base(), Endpoint.of("PUT", "/v1/cache/entries/{}/{}").pathValues(ns, "k1")
                .badPathValues("a%7Bb")
                .badHeader("X-Cache-Lease", "not-a-lease", "x".repeat(5000))
                .body("{\"value\":{\"a\":1},\"ttl_s\":60,\"tags\":[\"t1\"]}").anyJson("value")
                .state(() -> keysOf(ns)));
    }

    @Test
    void invalidate() {
        String ns = CacheApi.namespace();
        String tag = "t-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType("application/json").body("{\"value\":1,\"ttl_s\":600,\"tags\":[\"" + tag + "\"]}")
                .put("/v1/cache/entries/" + ns + "/k1").then().statusCode(200);
        given().contentType("application/json").body("{\"value\":2,\"ttl_s\":600}")
                .put("/v1/cache/entries/" + ns + "/k2").then().statusCode(200);
        sent += BadInputSweep.sweep(base(), Endpoint.of("POST", "/v1/cache/invalidate")
                .body("{\"tags\":[\"" + tag + "\"],\"keys\":[{\"namespace\":\"" + ns + "\",\"key\":\"k2\"}]}")
                .state(() -> given().get("/v1/cache/entries/" + ns + "/k1").statusCode() + " "
                        + given().get("/v1/cache/entries/" + ns + "/k2").statusCode()));
    }

    @Test
    void warm() {
        String ns = CacheApi.namespace();
        sent += BadInputSweep.sweep(base(), Endpoint.of("POST", "/v1/cache/warm")
                .body("{\"queries\":[{\"namespace\":\"" + ns + "\",\"sql\":\"SELECT 1 AS v\",\"ttl_s\":60}],"
                        + "\"keys\":[{\"namespace\":\"" + ns + "\",\"key\":\"k\"}],\"batch_size\":10}")
                .state(() -> keysOf(ns)));
    }

    @Test
    void notifyTriggers() {
        String t = CacheApi.table();
        sent += BadInputSweep.sweep(base(), Endpoint.of("POST", "/v1/cache/admin/notify-triggers")
                .header("Authorization", CacheApi.ADMIN).badHeader("Authorization", BAD_ADMIN)
                .body("{\"tables\":[\"" + t + "\"]}")
                .state(() -> SluiceInfra.get().primary().queryValue(
                        "SELECT count(*) FROM pg_trigger WHERE tgrelid = '" + t + "'::regclass")));
    }

    @AfterAll
    static void count() {
        System.out.println("BAD-INPUT-SWEEP cache-service: " + sent + " malformed requests, all 4xx problem+json");
    }
}
