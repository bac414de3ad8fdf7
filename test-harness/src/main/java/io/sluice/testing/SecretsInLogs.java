package io.sluice.testing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/**
 * Checks a service's captured log (the test profile writes {@code target/quarkus.log}, with {@code io.sluice} at
 * DEBUG) for secrets. It first waits until every given request id appears in the log, so the requests that carried
 * the secrets were logged (an empty or unwritten log cannot pass), then fails naming each secret found and the
 * first line that holds it.
 */
public final class SecretsInLogs {

    public static final Path TEST_LOG = Path.of("target/quarkus.log");

    private final List<String> requestIds = new ArrayList<>();

    /** A JSON request with a fresh request id (which {@link #assertNotLogged(List)} waits for) and the header given. */
    public RequestSpecification request(String authorization) {
        String id = "secrets-" + UUID.randomUUID();
        requestIds.add(id);
        var r = RestAssured.given().header("X-Request-Id", id).contentType("application/json");
        return authorization == null ? r : r.header("Authorization", authorization);
    }

    /** As {@link #assertNotLogged(List, List)} for every request made through {@link #request(String)}. */
    public void assertNotLogged(List<String> secrets) {
        assertNotLogged(requestIds, secrets);
    }

    public static void assertNotLogged(List<String> requestIds, List<String> secrets) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            String log = read();
            for (String id : requestIds) {
                assertTrue(log.contains(id), "request " + id + " is not in " + TEST_LOG + " yet");
            }
        });
        String log = read();
        List<String> found = new ArrayList<>();
        for (String secret : secrets) {
            if (secret.length() < 6) {
                throw new IllegalArgumentException("a secret this short would match by chance: " + secret);
            }
            int at = log.indexOf(secret);
            if (at >= 0) {
                int start = log.lastIndexOf('\n', at) + 1;
                int end = log.indexOf('\n', at);
                found.add(secret + " in: " + log.substring(start, end < 0 ? log.length() : end));
            }
        }
        assertTrue(found.isEmpty(), "secrets in the log:\n" + String.join("\n", found));
    }

    private static String read() {
        try {
            return Files.exists(TEST_LOG) ? Files.readString(TEST_LOG, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
