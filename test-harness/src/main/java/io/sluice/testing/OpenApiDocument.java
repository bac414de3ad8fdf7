package io.sluice.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A running service's OpenAPI document ({@code /q/openapi?format=json}) and the one rule by which an answer counts
 * as documented: the operation is there, it lists the status, and a problem answer's response names the problem
 * type's slug ({@code `cache-miss`} for {@code https://sluice.dev/problems/cache-miss}) in its description or an
 * example. The bad-input sweep, the admin-guard check and {@link OpenApiContractTest} all judge by it.
 */
public final class OpenApiDocument {

    /** The security scheme common's ProblemResponsesFilter gives every @AdminOnly operation. */
    public static final String ADMIN_SCHEME = "admin-token";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options",
            "trace");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final JsonNode root;

    private OpenApiDocument(JsonNode root) {
        this.root = root;
    }

    /** @param baseUrl {@code http://localhost:8081} */
    public static OpenApiDocument fetch(String baseUrl) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/q/openapi?format=json"))
                    .header("Accept", "application/json").timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new AssertionError("GET /q/openapi answered " + r.statusCode());
            }
            return new OpenApiDocument(new ObjectMapper().readTree(r.body()));
        } catch (IOException e) {
            throw new AssertionError("the OpenAPI document could not be read", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** One operation: {@code key} is "METHOD /path/{param}" as the document spells the path. */
    public record Op(String key, JsonNode node) {

        public String method() {
            return key.substring(0, key.indexOf(' '));
        }

        public String path() {
            return key.substring(key.indexOf(' ') + 1);
        }

        public JsonNode responses() {
            return node.path("responses");
        }

        public boolean requiresAdmin() {
            for (JsonNode requirement : node.path("security")) {
                if (requirement.has(ADMIN_SCHEME)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Every operation of the document, Quarkus' own /q/ endpoints left out. */
    public List<Op> operations() {
        List<Op> ops = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = root.path("paths").fields(); paths.hasNext();) {
            Map.Entry<String, JsonNode> path = paths.next();
            if (path.getKey().startsWith("/q/")) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = path.getValue().fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> m = it.next();
                if (METHODS.contains(m.getKey().toLowerCase(Locale.ROOT))) {
                    ops.add(new Op(m.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(), m.getValue()));
                }
            }
        }
        return ops;
    }

    /**
     * The operation a request was made to.
     *
     * @param path a template ({@code {}} or {@code {name}} per parameter; a query string is ignored)
     */
    public Op operation(String method, String path) {
        String shape = shape(path);
        for (Op op : operations()) {
            if (op.method().equalsIgnoreCase(method) && shape(op.path()).equals(shape)) {
                return op;
            }
        }
        return null;
    }

    /** @return why the answer is not documented, or null when it is */
    public String undocumented(String method, String path, int status, String problemSlug) {
        Op op = operation(method, path);
        if (op == null) {
            return method + " " + path + ": no such operation in the OpenAPI document";
        }
        JsonNode response = op.responses().get(Integer.toString(status));
        if (response == null) {
            return op.key() + " answers " + status + (problemSlug == null ? "" : " " + problemSlug)
                    + ", which its OpenAPI responses do not list";
        }
        if (problemSlug != null && !names(response, problemSlug)) {
            return op.key() + " answers " + status + " `" + problemSlug + "`, which its " + status
                    + " response does not name";
        }
        return null;
    }

    /** The response's description or one of its examples names the problem type's slug. */
    public static boolean names(JsonNode response, String slug) {
        Pattern word = Pattern.compile("(?<![a-z0-9-])" + Pattern.quote(slug) + "(?![a-z0-9-])");
        if (word.matcher(response.path("description").asText("")).find()) {
            return true;
        }
        for (JsonNode media : response.path("content")) {
            if (word.matcher(media.path("example").toString()).find()
                    || word.matcher(media.path("examples").toString()).find()) {
                return true;
            }
        }
        return false;
    }

    /** The slug of a problem body's {@code type}, or null when the body is no problem. */
    public static String problemSlug(String body) {
        try {
            JsonNode type = new ObjectMapper().readTree(body).path("type");
            String t = type.asText("");
            return t.isEmpty() ? null : t.substring(t.lastIndexOf('/') + 1);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** {@code /v1/x/{id}?a=b} and {@code /v1/x/{}} -> {@code /v1/x/{}} */
    static String shape(String path) {
        int query = path.indexOf('?');
        return (query < 0 ? path : path.substring(0, query)).replaceAll("\\{[^}]*}", "{}");
    }
}
