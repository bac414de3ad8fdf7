package io.sluice.querymonitor;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.sluice.common.sql.SqlNormalizer;
import io.sluice.testing.SecretsInLogs;
import io.sluice.testing.SluiceInfraResource;

/**
 * SQL literal values of reported samples (slow ones too, and one that fails to explain) and the admin token never
 * reach the log; nor does a token sent through the console proxy.
 */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class SecretsNotLoggedTest {

    private static final String TOKEN = "console-test-token";

    private final SecretsInLogs logs = new SecretsInLogs();

    private RequestSpecification request(String authorization) {
        return logs.request(authorization);
    }

    @Test
    void literalValuesAndTokensNeverReachTheLog() {
        String literal = "literal-" + UUID.randomUUID();
        String failing = "literal-" + UUID.randomUUID();
        String wrongAdmin = "wrongadmin-" + UUID.randomUUID();
        String sql = "SELECT '" + literal + "' AS v";
        String bad = "SELECT v FROM no_such_table_secrets WHERE v = '" + failing + "'";
        request(null).body("{\"samples\":[{\"sql\":\"" + sql + "\",\"database\":\"primary\",\"duration_ms\":900},"
                + "{\"sql\":\"" + bad + "\",\"database\":\"primary\",\"duration_ms\":450,\"error\":\"42P01\"}]}")
                .post("/v1/queries/samples").then().statusCode(202);
        String fp = SqlNormalizer.fingerprint(sql);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> request("Bearer " + TOKEN)
                .queryParam("analyze", "true").post("/v1/queries/" + fp + "/explain").then().statusCode(200));
        request("Bearer " + TOKEN).post("/v1/queries/" + SqlNormalizer.fingerprint(bad) + "/explain").then()
                .statusCode(422);
        request("Bearer " + wrongAdmin).post("/v1/queries/" + fp + "/explain").then().statusCode(401);
        request(null).get("/v1/queries/slow?window=1h").then().statusCode(200);
        request("Bearer " + wrongAdmin).get("/console/api/proxy/query-monitor/v1/queries/slow").then()
                .statusCode(org.hamcrest.Matchers.greaterThanOrEqualTo(200));

        logs.assertNotLogged(List.of(literal, failing, wrongAdmin, TOKEN));
    }
}
