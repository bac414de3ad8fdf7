package io.sluice.replicarouter;

import static io.sluice.replicarouter.RouterClient.post;
import static io.sluice.replicarouter.RouterClient.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;

/** Timeouts and size limits, each a clear 4xx before or instead of harm. */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class LimitsTest {

    @Test
    void aRequestedStatementTimeoutCancelsASlowStatement() {
        post(sql("SELECT pg_sleep(5)").header("Sluice-Statement-Timeout", "200ms"))
                .then().statusCode(400).body("code", is("57014"))
                .body("message", containsString("statement timeout"));
        post(sql("SELECT 't' AS done FROM pg_sleep(0.05)").header("Sluice-Statement-Timeout", "5s"))
                .then().statusCode(200).body("rows[0].done", is("t"));
    }

    @Test
    void aTimeoutOutOfRangeOrUnreadableIsRejected() {
        post(sql("SELECT 1").header("Sluice-Statement-Timeout", "1h")).then().statusCode(400)
                .body("detail", containsString("Sluice-Statement-Timeout"));
        post(sql("SELECT 1").header("Sluice-Statement-Timeout", "soon")).then().statusCode(400)
                .body("detail", containsString("Sluice-Statement-Timeout"));
        post(sql("SELECT 1").header("Sluice-Statement-Timeout", "0")).then().statusCode(400);
    }

    @Test
    void tooManyRowsIsA413TellingTheClientToPage() {
        post(sql("SELECT g FROM generate_series(1, 10001) g")).then().statusCode(413)
                .contentType("application/problem+json")
                .body("type", endsWith("/result-too-large"))
                .body("detail", containsString("10001 rows"));
        post(sql("SELECT g FROM generate_series(1, 10000) g")).then().statusCode(200);
    }

    @Test
    void aWriteReturningTooManyRowsIsA413AndRolledBack() {
        String t = "lim_" + java.util.UUID.randomUUID().toString().replace("-", "");
        SluiceInfra.get().primary().execute("CREATE TABLE " + t + " (g int)");
        post(sql("INSERT INTO " + t + " SELECT g FROM generate_series(1, 10001) g RETURNING g")).then()
                .statusCode(413).body("type", endsWith("/result-too-large"));
        assertThat(SluiceInfra.get().primary().queryValue("SELECT count(*) FROM " + t)).isEqualTo("0");
        post(sql("INSERT INTO " + t + " SELECT g FROM generate_series(1, 10000) g RETURNING g")).then()
                .statusCode(200).body("rowCount", is(10000));
        assertThat(SluiceInfra.get().primary().queryValue("SELECT count(*) FROM " + t)).isEqualTo("10000");
    }

    @Test
    void aHugeReadIsCancelledOnTheServerOnceItPassesTheLimit() {
        // Fifty million rows would take minutes to stream; the statement must be gone long before.
        post(sql("SELECT g, md5(g::text) FROM generate_series(1, 50000000) g").header("Sluice-Route", "primary"))
                .then().statusCode(413).body("detail", containsString("10001 rows"));
        await().atMost(Duration.ofSeconds(10)).until(() -> SluiceInfra.get().primary().queryValue(
                "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT g, md5%' AND state = 'active'")
                .equals("0"));
    }

    @Test
    void tooManyBytesIsA413() {
        post(sql("SELECT repeat('x', 10000001) AS big")).then().statusCode(413)
                .body("type", endsWith("/result-too-large"));
    }

    @Test
    void aBodyOverTheSizeLimitIsA413Problem() {
        String huge = "x".repeat(1_100_000);
        post(sql("SELECT '" + huge + "'")).then().statusCode(413)
                .contentType("application/problem+json")
                .body("type", endsWith("/payload-too-large"));
    }
}
