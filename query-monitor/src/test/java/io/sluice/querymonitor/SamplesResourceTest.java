package io.sluice.querymonitor;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testing.MetricsScrape;
import io.sluice.testing.SluiceInfraResource;

@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class SamplesResourceTest {

    @Test
    void samplesOverTheThresholdAreCountedSlow() {
        double slowBefore = MetricsScrape.value("sluice_querymonitor_slow_queries_total");
        given().contentType("application/json").body("""
                {"samples": [
                  {"sql": "SELECT 1", "database": "app", "durationMs": 3.5, "rows": 1},
                  {"sql": "SELECT pg_sleep(0.2)", "database": "app", "durationMs": 200.1, "rows": 1},
                  {"sql": "UPDATE t SET v = 1", "durationMs": 100.0, "error": "40001"}
                ]}""")
                .when().post("/queries/samples")
                .then().statusCode(202)
                .body("accepted", is(3))
                .body("slow", is(1));
        // 100.0 ms is not over a 100 ms threshold: exactly one more slow query.
        assertThat(MetricsScrape.value("sluice_querymonitor_slow_queries_total")).isEqualTo(slowBefore + 1);
    }

    @Test
    void negativeDurationAndBlankSqlAreRejectedField() {
        given().contentType("application/json").body("""
                {"samples": [{"sql": " ", "durationMs": -1}]}""")
                .when().post("/queries/samples")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", endsWith("/validation-failed"))
                .body("errors.field", hasItem("samples[0].sql"))
                .body("errors.field", hasItem("samples[0].durationMs"));
    }

    @Test
    void anEmptyBatchIsRejected() {
        given().contentType("application/json").body("{\"samples\": []}")
                .when().post("/queries/samples")
                .then().statusCode(400).body("errors[0].field", is("samples"));
    }

    @Test
    void aDurationThatIsNotANumberIsRejected() {
        given().contentType("application/json").body("""
                {"samples": [{"sql": "SELECT 1", "durationMs": "fast"}]}""")
                .when().post("/queries/samples")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", is("samples[0].durationMs"));
    }
}
