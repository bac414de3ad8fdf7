package io.sluice.querymonitor;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;

import java.time.Instant;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.querymonitor.aggregate.FlushService;
import io.sluice.testing.MetricsScrape;
import io.sluice.testing.SluiceInfraResource;

@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class SamplesResourceTest {

    @Inject
    FlushService flush;

    private static String db() {
        return "db-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void samplesAreAcceptedWith202AndThoseOverTheThresholdCountSlow() {
        double slowBefore = MetricsScrape.value("sluice_querymonitor_slow_queries_total");
        given().contentType("application/json").body("""
                {"samples": [
                  {"sql": "SELECT 1", "database": "app", "duration_ms": 3.5, "rows": 1, "source": "app-1"},
                  {"sql": "SELECT pg_sleep(0.2)", "database": "app", "node": "primary", "duration_ms": 200.1,
                   "rows": 1, "timestamp": "%s"},
                  {"fingerprint": "00000000000000aa", "duration_ms": 100.0, "error": "40001"}
                ]}""".formatted(Instant.now()))
                .when().post("/v1/queries/samples")
                .then().statusCode(202)
                .body("accepted", is(3))
                .body("slow", is(1));
        // 100.0 ms is not over a 100 ms threshold: exactly one more slow query.
        assertThat(MetricsScrape.value("sluice_querymonitor_slow_queries_total")).isEqualTo(slowBefore + 1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no sql nor fingerprint | {"duration_ms": 1}                                   | samples[1].sql
            blank sql              | {"sql": " ", "duration_ms": 1}                       | samples[1].sql
            bad fingerprint        | {"fingerprint": "XYZ", "duration_ms": 1}             | samples[1].fingerprint
            missing duration       | {"sql": "select 1"}                                  | samples[1].duration_ms
            negative duration      | {"sql": "select 1", "duration_ms": -1}               | samples[1].duration_ms
            endless duration       | {"sql": "select 1", "duration_ms": 1e12}             | samples[1].duration_ms
            negative rows          | {"sql": "select 1", "duration_ms": 1, "rows": -2}    | samples[1].rows
            bad database name      | {"sql": "select 1", "duration_ms": 1, "database": "a b"} | samples[1].database
            bad node name          | {"sql": "select 1", "duration_ms": 1, "node": "x/y"} | samples[1].node
            bad source             | {"sql": "select 1", "duration_ms": 1, "source": ""}  | samples[1].source
            blank error            | {"sql": "select 1", "duration_ms": 1, "error": " "}  | samples[1].error
            future timestamp       | {"sql": "select 1", "duration_ms": 1, "timestamp": "2999-01-01T00:00:00Z"} | samples[1].timestamp
            old timestamp          | {"sql": "select 1", "duration_ms": 1, "timestamp": "2001-01-01T00:00:00Z"} | samples[1].timestamp
            malformed traceparent  | {"sql": "select 1", "duration_ms": 1, "traceparent": "not-a-traceparent"} | samples[1].traceparent
            upper-case traceparent | {"sql": "select 1", "duration_ms": 1, "traceparent": "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01"} | samples[1].traceparent
            zero trace id          | {"sql": "select 1", "duration_ms": 1, "traceparent": "00-00000000000000000000000000000000-00f067aa0ba902b7-01"} | samples[1].traceparent
            zero span id           | {"sql": "select 1", "duration_ms": 1, "traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"} | samples[1].traceparent
            unknown version        | {"sql": "select 1", "duration_ms": 1, "traceparent": "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"} | samples[1].traceparent
            """)
    void aBadSampleFailsTheWholeBatchAndIsNamed(String name, String bad, String field) {
        String database = db();
        given().contentType("application/json").body("""
                {"samples": [{"sql": "SELECT * FROM t WHERE id = 1", "database": "%s", "duration_ms": 5}, %s,
                             {"sql": "SELECT 2", "duration_ms": 1, "rows": -5}]}""".formatted(database, bad))
                .when().post("/v1/queries/samples")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", endsWith("/validation-failed"))
                .body("errors.size()", is(1))
                .body("errors[0].field", is(field))
                .body("detail", containsString("nothing was applied"));
        // The good first sample was not half-applied.
        flush.flush().await().atMost(java.time.Duration.ofSeconds(5));
        given().queryParam("database", database).queryParam("window", "1m")
                .when().get("/metrics/queries")
                .then().statusCode(200).body("queries", empty());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            empty batch        | {"samples": []}                                | samples
            no samples field   | {}                                             | samples
            duration not a number | {"samples": [{"sql": "SELECT 1", "duration_ms": "fast"}]} | samples[0].duration_ms
            timestamp not a time  | {"samples": [{"sql": "SELECT 1", "duration_ms": 1, "timestamp": "soon"}]} | samples[0].timestamp
            """)
    void malformedBatchesAreRejected(String name, String body, String field) {
        given().contentType("application/json").body(body)
                .when().post("/v1/queries/samples")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", is(field));
    }

    @Test
    void moreThanAThousandSamplesAreRejected() {
        String one = "{\"sql\": \"SELECT 1\", \"duration_ms\": 1}";
        String body = "{\"samples\": [" + String.join(",", java.util.Collections.nCopies(1001, one)) + "]}";
        given().contentType("application/json").body(body)
                .when().post("/v1/queries/samples")
                .then().statusCode(400).body("errors[0].field", is("samples"));
    }
}
