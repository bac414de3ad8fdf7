package io.sluice.system;

import static io.sluice.system.Http.get;
import static io.sluice.system.Http.obj;
import static io.sluice.system.Http.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;

/** The index advice loop of query-monitor, driven as an operator would: suggestion, verification, real index. */
final class QueryMonitorAdvice {

    private QueryMonitorAdvice() {
    }

    /**
     * query-monitor suggests a HypoPG-verified index on {@code table(column)} for the slow fingerprint (on whichever
     * node ran it); once the index is created and the query runs again, the verification judges it effective.
     *
     * @param rerun runs the slow query again through the router
     */
    static void assertVerifiedIndex(Suite suite, String fingerprint, String table, String column, Runnable rerun) {
        AtomicReference<JsonNode> found = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (String database : List.of("replica1", "primary")) {
                JsonNode answer = get(suite.queryMonitor.url() + "/v1/indexes/suggestions?database=" + database).json();
                for (JsonNode s : answer.path("suggestions")) {
                    if (s.path("table").asText().endsWith(table) && s.path("columns").toString().contains(column)
                            && s.path("fingerprints").toString().contains(fingerprint)) {
                        found.set(s);
                    }
                }
            }
            assertThat(found.get()).as("a suggestion on %s(%s) for %s", table, column, fingerprint).isNotNull();
        });
        JsonNode suggestion = found.get();
        assertThat(suggestion.path("verified").asBoolean()).as(suggestion.toString()).isTrue();
        assertThat(suggestion.path("costAfter").asDouble()).isLessThan(suggestion.path("costBefore").asDouble() / 2);

        String index = table + "_" + column + "_idx";
        var verification = post(suite.queryMonitor.url() + "/v1/indexes/verifications",
                obj("index", index, "fingerprints", List.of(fingerprint), "min_calls", 4),
                "Authorization", "Bearer " + Suite.ADMIN_TOKEN);
        assertThat(verification.status()).as(verification.toString()).isEqualTo(201);
        String id = verification.json().path("id").asText();

        var create = post(suite.router.url() + "/sql",
                obj("query", "CREATE INDEX " + index + " ON " + table + " (" + column + ")"));
        assertThat(create.status()).as(create.toString()).isEqualTo(200);
        suite.infra.awaitReplayed(suite.infra.replica(), Duration.ofSeconds(30));
        for (int i = 0; i < 6; i++) {
            rerun.run();
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            JsonNode verdict = get(suite.queryMonitor.url() + "/v1/indexes/verifications/" + id).json();
            assertThat(verdict.path("outcome").asText()).as(verdict.toString()).isEqualTo("EFFECTIVE");
        });
    }
}
