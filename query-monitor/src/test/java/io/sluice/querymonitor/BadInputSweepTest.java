package io.sluice.querymonitor;

import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.sluice.common.sql.SqlNormalizer;
import io.sluice.querymonitor.console.SilentServiceResource;
import io.sluice.testing.BadInputSweep;
import io.sluice.testing.BadInputSweep.Endpoint;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;

/**
 * The bad-input sweep (test-harness {@link BadInputSweep}) over every JSON endpoint of query-monitor, the console's
 * actions included (the services behind the console refuse connections, so a valid action answers 502).
 */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
@WithTestResource(SilentServiceResource.class)
class BadInputSweepTest {

    private static final String ADMIN = "Bearer console-test-token";
    private static final String[] BAD_ADMIN = {"Bearer", "Bearer wrong-token", "Basic dGVzdDp0ZXN0",
        "Bearer " + "x".repeat(5000)};
    private static int sent;

    private static String base() {
        return RestAssured.baseURI + ":" + RestAssured.port;
    }

    private static String keys(String pattern) {
        return SluiceInfra.get().redis().command("KEYS", pattern);
    }

    @Test
    void samples() {
        String sql = "select 1 as sweep_" + UUID.randomUUID().toString().replace("-", "");
        String fp = SqlNormalizer.fingerprint(sql);
        sent += BadInputSweep.sweep(base(), Endpoint.of("POST", "/v1/queries/samples")
                .body("{\"samples\":[{\"sql\":\"" + sql + "\",\"database\":\"primary\",\"node\":\"primary\","
                        + "\"duration_ms\":5,\"rows\":1,\"source\":\"sweep\",\"request_id\":\"r1\"}]}")
                .state(() -> keys("sluice:querymonitor:{" + fp + "}*")));
    }

    @Test
    void verifications() {
        String fp = SqlNormalizer.fingerprint("select 2 as sweep_" + UUID.randomUUID().toString().replace("-", ""));
        sent += BadInputSweep.sweep(base(), Endpoint.of("POST", "/v1/indexes/verifications")
                .header("Authorization", ADMIN).badHeader("Authorization", BAD_ADMIN)
                .body("{\"index\":\"i_sweep\",\"fingerprints\":[\"" + fp + "\"],\"min_calls\":5}")
                .state(() -> keys("sluice:querymonitor:{verifications}:*")));
    }

    @Test
    void consoleActions() {
        sent += BadInputSweep.sweep(base(), Endpoint.of("POST", "/console/api/actions/{}")
                .pathValues("rate-limiter.tier").header("Authorization", ADMIN).badHeader("Authorization", BAD_ADMIN)
                .body("{\"confirm\":true,\"key\":\"k\",\"tier\":\"pro\"}").validStatus(502));
    }

    @AfterAll
    static void count() {
        System.out.println("BAD-INPUT-SWEEP query-monitor: " + sent + " malformed requests, all 4xx problem+json");
    }
}
