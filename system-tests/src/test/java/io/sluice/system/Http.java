package io.sluice.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

/** A small JSON-over-HTTP client for the system tests; a call that gets no answer has status -1. */
final class Http {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    /** An answer: status, headers, the body as JSON (MissingNode when it is not JSON) and as text. */
    record Answer(int status, HttpResponse<String> raw, JsonNode json) {

        String header(String name) {
            return raw == null ? null : raw.headers().firstValue(name).orElse(null);
        }

        String text() {
            return raw == null ? "" : raw.body();
        }

        @Override
        public String toString() {
            return status + " " + text();
        }
    }

    private Http() {
    }

    static Answer get(String url, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), headers);
    }

    static Answer post(String url, Object body, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(url)).POST(json(body)), headers);
    }

    static Answer put(String url, Object body, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(url)).PUT(json(body)), headers);
    }

    static Answer delete(String url, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(url)).DELETE(), headers);
    }

    /** Builds a JSON object from alternating keys and values. */
    static Map<String, Object> obj(Object... kv) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static HttpRequest.BodyPublisher json(Object body) {
        try {
            return HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Answer send(HttpRequest.Builder builder, String... headers) {
        builder.timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> r = CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json;
            try {
                json = r.body().isBlank() ? MissingNode.getInstance() : JSON.readTree(r.body());
            } catch (IOException notJson) {
                json = MissingNode.getInstance();
            }
            return new Answer(r.statusCode(), r, json);
        } catch (IOException e) {
            return new Answer(-1, null, MissingNode.getInstance());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, null, MissingNode.getInstance());
        }
    }
}
