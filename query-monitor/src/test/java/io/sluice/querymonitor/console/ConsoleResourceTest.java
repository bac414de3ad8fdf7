package io.sluice.querymonitor.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sluice.testing.SluiceInfraResource;

/** The console's proxy/aggregator with every service down or hung, and its guards on actions. */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
@WithTestResource(SilentServiceResource.class)
class ConsoleResourceTest {

    private static final String TOKEN = "console-test-token";

    @Test
    void overviewShowsEveryServiceDownWithItsReasonAndStaysUpItself() {
        given().when().get("/console/api/overview").then().statusCode(200)
                .body("", hasSize(5))
                .body("service", is(java.util.List.of("query-monitor", "replica-router", "cache-service",
                        "rate-limiter", "partition-manager")))
                .body("status", everyItem(is("DOWN")))
                .body("find { it.service == 'replica-router' }.reason", is("connection refused"))
                .body("find { it.service == 'cache-service' }.reason", is("no answer within the console timeout"))
                .body("figure.value", everyItem(nullValue()))
                .body("find { it.service == 'rate-limiter' }.figure.label", is("rejected / min"));
        given().when().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void servesThePageAndTheChartLibraryFromTheJar() {
        given().redirects().follow(false).when().get("/console").then().statusCode(302)
                .header("Location", endsWith("/console/"));
        given().when().get("/console/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("js/main.js"));
        given().when().get("/webjars/uplot/1.6.30/dist/uPlot.esm.js").then().statusCode(200)
                .body(containsString("uPlot"));
    }

    @Test
    void proxyRefusesUnknownServicesAndPathsOutsideTheReadApi() {
        given().when().get("/console/api/proxy/postgres/v1/anything").then().statusCode(404)
                .contentType("application/problem+json").body("type", endsWith("/console-unknown-service"));
        for (String path : new String[] {"q/metrics", "sql", "v1/..%2F..%2Fq/metrics", "v1", "q/health/../../sql"}) {
            given().urlEncodingEnabled(false).when().get("/console/api/proxy/replica-router/" + path).then()
                    .statusCode(400).contentType("application/problem+json")
                    .body("type", endsWith("/console-path-not-allowed"));
        }
    }

    @Test
    void proxyAndMetricsAnswer502WhenTheServiceIsDown() {
        given().when().get("/console/api/proxy/replica-router/v1/nodes").then().statusCode(502)
                .contentType("application/problem+json").body("type", endsWith("/console-upstream-unavailable"))
                .body("detail", containsString("connection refused"));
        given().when().get("/console/api/metrics/cache-service").then().statusCode(502)
                .body("detail", containsString("no answer"));
    }

    @Test
    void unknownActionIs404() {
        given().contentType(ContentType.JSON).body("{\"confirm\":true}").header("Authorization", "Bearer " + TOKEN)
                .when().post("/console/api/actions/cache-service.flushall").then().statusCode(404)
                .body("type", endsWith("/console-unknown-action"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Basic Zm9vOmJhcg==", "Bearer wrong-token", "Bearer "})
    void actionsWithoutTheAdminTokenAre401(String authorization) {
        var request = given().contentType(ContentType.JSON).body("{\"confirm\":true,\"key\":\"k\",\"tier\":\"pro\"}");
        if (!authorization.isEmpty()) {
            request.header("Authorization", authorization);
        }
        request.when().post("/console/api/actions/rate-limiter.tier").then().statusCode(401)
                .contentType("application/problem+json").body("type", endsWith("/unauthorized"));
    }

    @Test
    void actionsNeedConfirmation() {
        for (String body : new String[] {"{\"key\":\"k\",\"tier\":\"pro\"}", "{\"confirm\":false,\"key\":\"k\",\"tier\":\"pro\"}"}) {
            given().contentType(ContentType.JSON).body(body).header("Authorization", "Bearer " + TOKEN)
                    .when().post("/console/api/actions/rate-limiter.tier").then().statusCode(400)
                    .body("type", endsWith("/console-action-not-confirmed"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "rate-limiter.tier|{\"confirm\":true,\"tier\":\"pro\"}|key is required",
        "rate-limiter.tier|{\"confirm\":true,\"key\":\"k\",\"tier\":\"gold\"}|tier must be one of",
        "rate-limiter.tier|{\"confirm\":true,\"key\":\"k\"}|tier is required",
        "cache-service.flush-namespace|{\"confirm\":true,\"namespace\":\"a/b\"}|namespace may hold only",
        "cache-service.flush-namespace|{\"confirm\":true}|namespace is required",
        "replica-router.failover-dry-run|{\"confirm\":true,\"node\":\"\"}|node is required",
        "query-monitor.verify-index|{\"confirm\":true,\"index\":\"CREATE INDEX ON t(a)\"}|fingerprints must list",
        "partition-manager.restore-archive|{\"confirm\":true,\"table\":\"t\"}|archive is required",
        "partition-manager.restore-archive|{\"confirm\":true,\"archive\":\"a1\"}|table is required",
        "partition-manager.restore-archive|{\"confirm\":true,\"archive\":\"a1\",\"table\":\"x; drop\"}|table must be",
        "partition-manager.restore-archive|{\"confirm\":true,\"archive\":\"../x\",\"table\":\"t\"}|archive may hold only"})
    void invalidParametersAre400AndNothingIsSent(String row) {
        String[] parts = row.split("\\|");
        given().contentType(ContentType.JSON).body(parts[1]).header("Authorization", "Bearer " + TOKEN)
                .when().post("/console/api/actions/" + parts[0]).then().statusCode(400)
                .contentType("application/problem+json").body("type", endsWith("/console-invalid-action"))
                .body("detail", containsString(parts[2]));
    }

    @Test
    void aValidActionAgainstADownServiceIs502AndIsLoggedWithTheRequestIdButNotTheKey() throws IOException {
        String requestId = "console-test-" + UUID.randomUUID();
        String apiKey = "secret-api-key-" + UUID.randomUUID();
        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + TOKEN)
                .header("X-Request-Id", requestId)
                .body("{\"confirm\":true,\"key\":\"" + apiKey + "\",\"tier\":\"pro\"}")
                .when().post("/console/api/actions/rate-limiter.tier").then().statusCode(502)
                .body("type", endsWith("/console-upstream-unavailable"));
        Path log = Path.of("target/quarkus.log");
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Files.readAllLines(log))
                .anyMatch(l -> l.contains(requestId) && l.contains("console action rate-limiter.tier (tier pro) requested"))
                .anyMatch(l -> l.contains(requestId) && l.contains("failed: rate-limiter did not answer")));
        assertThat(Files.readString(log)).doesNotContain(apiKey).doesNotContain(TOKEN);
    }

    @Test
    void metricsCountUpstreamCallsAndActions() {
        given().when().get("/console/api/overview").then().statusCode(200);
        given().contentType(ContentType.JSON).body("{}").when().post("/console/api/actions/rate-limiter.tier")
                .then().statusCode(401);
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .contains("sluice_querymonitor_console_upstream_requests_total{outcome=\"unreachable\",service=\"replica-router\"}")
                .contains("sluice_querymonitor_console_actions_total{action=\"rate-limiter.tier\",outcome=\"refused\"}");
    }
}
