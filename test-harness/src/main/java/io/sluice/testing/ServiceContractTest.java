package io.sluice.testing;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/**
 * The HTTP contract every Sluice service keeps (health, metrics, OpenAPI, problem+json, request ids).
 * Each service extends it in a {@code @QuarkusTest} and names its own JSON endpoint, required field,
 * readiness checks and one of its meters.
 */
public abstract class ServiceContractTest {

    private static final String PROBLEM_JSON = "application/problem+json";

    /** Path of a POST endpoint that takes a JSON object. */
    protected abstract String jsonEndpoint();

    /** The HTTP method of {@link #jsonEndpoint()}. */
    protected String jsonMethod() {
        return "POST";
    }

    /** How the endpoint appears in the OpenAPI document (a template where the path has parameters). */
    protected String openApiPath() {
        return jsonEndpoint();
    }

    /** A field that endpoint requires, so that {@code {}} is rejected naming it. */
    protected abstract String requiredField();

    /** Names of the readiness checks that must report (one per dependency). */
    protected abstract List<String> readinessChecks();

    /** A Prometheus series name this service always exposes. */
    protected abstract String sluiceMetric();

    @Test
    void readinessIsUpAndChecksEveryDependency() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", is("UP"))
                .body("checks.name", hasItems(readinessChecks().toArray(String[]::new)));
    }

    @Test
    void livenessIsUp() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void metricsArePrometheusWithSluiceSeries() {
        given().when().get("/q/metrics")
                .then().statusCode(200)
                .body(matchesPattern("(?s).*\\n" + sluiceMetric() + "[{ ].*"))
                .body(containsString("http_server_requests_seconds"));
    }

    @Test
    void promtoolFindsNothingToLintInTheMetrics() {
        String text = given().accept(PromtoolLint.TEXT_FORMAT).when().get("/q/metrics")
                .then().statusCode(200).extract().asString();
        assertEquals("", PromtoolLint.findings(text), "promtool check metrics findings");
    }

    @Test
    void openApiDescribesTheEndpoint() {
        given().accept("application/json").when().get("/q/openapi")
                .then().statusCode(200)
                .body(containsString(openApiPath()));
    }

    @Test
    void malformedJsonIsA400Problem() {
        given().contentType("application/json").body("{\"oops\": ")
                .when().request(jsonMethod(), jsonEndpoint())
                .then().statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", endsWith("/malformed-request"))
                .body("status", is(400))
                .body("detail", containsString("not valid JSON"))
                .body(not(containsString("Exception")))
                .body(not(containsString("\tat ")));
    }

    @Test
    void missingRequiredFieldIsA400ProblemNamingIt() {
        given().contentType("application/json").body("{}")
                .when().request(jsonMethod(), jsonEndpoint())
                .then().statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", endsWith("/validation-failed"))
                .body("errors.field", hasItem(requiredField()));
    }

    @Test
    void wrongContentTypeIsA415Problem() {
        given().contentType("application/xml").body("<hello/>")
                .when().request(jsonMethod(), jsonEndpoint())
                .then().statusCode(415)
                .contentType(PROBLEM_JSON)
                .body("type", endsWith("/unsupported-media-type"));
    }

    @Test
    void unknownPathIsA404Problem() {
        given().when().get("/no/such/path")
                .then().statusCode(404)
                .contentType(PROBLEM_JSON)
                .body("type", endsWith("/not-found"))
                .body("detail", containsString("/no/such/path"));
    }

    @Test
    void callerRequestIdIsEchoedAndReachesTheErrorBody() {
        String id = "req-" + UUID.randomUUID();
        given().header("X-Request-Id", id).contentType("application/json").body("[")
                .when().request(jsonMethod(), jsonEndpoint())
                .then().statusCode(400)
                .header("X-Request-Id", equalTo(id))
                .body("requestId", equalTo(id));
    }

    @Test
    void theRequestIdIsInTheJsonLogLinesOfTheRequest() {
        String id = "log-" + UUID.randomUUID();
        given().header("X-Request-Id", id).when().get("/no/such/route").then().statusCode(404);
        // Quarkus tests log to target/quarkus.log in the JSON format the prod profile uses on the console. A path
        // no route matched is logged by its first two segments only (common's LoggedPath: paths can hold keys).
        Path log = Path.of("target/quarkus.log");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertTrue(Files.readAllLines(log).stream().anyMatch(line -> line.startsWith("{")
                        && line.contains("\"message\":\"GET /no/such/… -> 404")
                        && line.contains("\"requestId\":\"" + id + "\"")),
                        "no JSON log line with request id " + id + " in " + log.toAbsolutePath()));
    }

    @Test
    void missingOrUnsafeRequestIdIsReplacedByAFreshOne() {
        given().when().get("/q/health/live")
                .then().header("X-Request-Id", matchesPattern("[0-9a-f-]{36}"));
        given().header("X-Request-Id", "bad id with spaces")
                .when().get("/q/health/live")
                .then().header("X-Request-Id", matchesPattern("[0-9a-f-]{36}"));
    }

    @Test
    void swaggerUiIsServed() {
        given().when().get("/q/swagger-ui/").then().statusCode(200).body(notNullValue());
    }
}
