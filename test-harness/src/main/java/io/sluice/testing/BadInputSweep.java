package io.sluice.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The bad-input sweep: from one valid request to a JSON endpoint it generates malformed ones (bodies that are not
 * JSON, empty, of the wrong JSON type, with an unknown field, invalid UTF-8, nested 10,000 levels deep; each field,
 * at any depth, of the wrong type, a 1 MB string, a number beyond any range; wrong content types; malformed header
 * values; malformed path parameters) and sends each one. Every answer must be a 4xx with
 * {@code application/problem+json} and no stack trace, and the endpoint's state must not change. Last, the valid
 * request itself must succeed, so every malformed one was one change away from a request that works. Every status
 * (and problem type) seen must be documented for the endpoint in its OpenAPI document ({@link OpenApiDocument}).
 */
public final class BadInputSweep {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    /** 1 MB (10^6 characters): under the 1 MiB body limit, so it reaches the field checks, not only the 413. */
    private static final String MEGABYTE = "a".repeat(1_000_000);
    private static final String DEEP_ARRAY = "[".repeat(10_000) + "]".repeat(10_000);
    private static final String DEEP_OBJECT = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
    private static final String[] HUGE_NUMBERS = {"1e400", "-1e400", "1180591620717411303424", "-1180591620717411303424"};
    /** Bad for any path parameter: NUL, invalid UTF-8, a newline, a bidi override, 2,000 characters. */
    private static final String[] BAD_PATH_VALUES = {"%00", "%C3%28", "%0A", "%E2%80%AE", "a".repeat(2000)};

    /** One JSON endpoint and a valid request to it. */
    public static final class Endpoint {
        final String method;
        final String path;
        final List<String> pathValues = new ArrayList<>();
        final Map<String, String> headers = new LinkedHashMap<>();
        final Map<String, List<String>> badHeaders = new LinkedHashMap<>();
        final List<String> badPathValues = new ArrayList<>(List.of(BAD_PATH_VALUES));
        final List<String> alsoAccepted = new ArrayList<>();
        String body;
        Set<String> anyJson = Set.of();
        Supplier<Object> state = () -> "";
        int validStatus = -1;

        private Endpoint(String method, String path) {
            this.method = method;
            this.path = path;
        }

        /** @param path with {@code {}} for each path parameter, filled by {@link #pathValues(String...)} */
        public static Endpoint of(String method, String path) {
            return new Endpoint(method, path);
        }

        public Endpoint pathValues(String... values) {
            pathValues.addAll(List.of(values));
            return this;
        }

        public Endpoint body(String validJson) {
            this.body = validJson;
            return this;
        }

        /** A header every request carries (an admin token, say). */
        public Endpoint header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        /** A non-JSON content type the endpoint reads as JSON on purpose (replica-router's /sql: text/plain). */
        public Endpoint alsoAccepts(String contentType) {
            alsoAccepted.add(contentType);
            return this;
        }

        /** Path parameter values this endpoint refuses besides the generic ones ({@code %7B} for a cache key). */
        public Endpoint badPathValues(String... values) {
            badPathValues.addAll(List.of(values));
            return this;
        }

        /** Malformed values of a header the endpoint reads (and must refuse). */
        public Endpoint badHeader(String name, String... values) {
            badHeaders.put(name, List.of(values));
            return this;
        }

        /** Fields (dotted paths without indexes) that take any JSON, so a different type is not wrong there. */
        public Endpoint anyJson(String... fields) {
            this.anyJson = Set.of(fields);
            return this;
        }

        /** What the endpoint would change (rows, keys, a status read back): compared before and after the sweep. */
        public Endpoint state(Supplier<Object> state) {
            this.state = state;
            return this;
        }

        /** The status the valid request answers (default: any 2xx). */
        public Endpoint validStatus(int status) {
            this.validStatus = status;
            return this;
        }

        String path(List<String> values) {
            String p = path;
            for (String v : values) {
                p = p.replaceFirst("\\{}", java.util.regex.Matcher.quoteReplacement(v));
            }
            return p;
        }
    }

    private record Case(String what, String path, String contentType, byte[] body, Map<String, String> headers) {
    }

    private BadInputSweep() {
    }

    /** @return how many malformed requests were sent (all answered 4xx problem+json) */
    public static int sweep(String baseUrl, Endpoint e) {
        List<Case> cases = cases(e);
        Object before = e.state.get();
        List<String> failures = new ArrayList<>();
        Map<String, String> answers = new LinkedHashMap<>();
        for (Case c : cases) {
            HttpResponse<String> r = send(baseUrl, e, c);
            String type = r.headers().firstValue("Content-Type").orElse("");
            String body = r.body() == null ? "" : r.body();
            answers.putIfAbsent(answer(r.statusCode(), body), c.what());
            if (r.statusCode() < 400 || r.statusCode() > 499 || !type.startsWith("application/problem+json")
                    || body.contains("Exception") || body.contains("\tat ")) {
                failures.add(e.method + " " + e.path + " [" + c.what() + "] -> " + r.statusCode() + " " + type + " "
                        + (body.length() > 200 ? body.substring(0, 200) + "…" : body));
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + cases.size() + " malformed requests were not a 4xx "
                + "problem+json:\n" + String.join("\n", failures.subList(0, Math.min(40, failures.size()))));
        assertEquals(before, e.state.get(), "malformed requests to " + e.method + " " + e.path + " changed something");
        HttpResponse<String> valid = send(baseUrl, e, new Case("valid", e.path(e.pathValues), "application/json",
                e.body == null ? new byte[0] : e.body.getBytes(StandardCharsets.UTF_8), Map.of()));
        assertTrue(e.validStatus < 0 ? valid.statusCode() / 100 == 2 : valid.statusCode() == e.validStatus,
                "the valid request " + e.method + " " + e.path + " answered " + valid.statusCode() + " " + valid.body());
        answers.putIfAbsent(answer(valid.statusCode(), valid.body()), "valid");
        assertDocumented(baseUrl, e, answers);
        return cases.size();
    }

    /** "409 lease-lost", "200 null": a status and, for an error, its problem type. */
    private static String answer(int status, String body) {
        return status + " " + (status >= 400 ? OpenApiDocument.problemSlug(body) : null);
    }

    /** Every status (and problem type) the endpoint answered is in its OpenAPI operation (issue 18). */
    private static void assertDocumented(String baseUrl, Endpoint e, Map<String, String> answers) {
        OpenApiDocument doc = OpenApiDocument.fetch(baseUrl);
        List<String> undocumented = new ArrayList<>();
        answers.forEach((answer, what) -> {
            int status = Integer.parseInt(answer.substring(0, answer.indexOf(' ')));
            String slug = answer.substring(answer.indexOf(' ') + 1);
            String why = doc.undocumented(e.method, e.path, status, slug.equals("null") ? null : slug);
            if (why != null) {
                undocumented.add(why + " (e.g. [" + what + "])");
            }
        });
        assertTrue(undocumented.isEmpty(), "answers of " + e.method + " " + e.path + " missing from /q/openapi:\n"
                + String.join("\n", undocumented));
    }

    private static HttpResponse<String> send(String baseUrl, Endpoint e, Case c) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + c.path())).timeout(Duration.ofSeconds(60))
                .method(e.method, c.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(c.body()));
        if (c.contentType() != null) {
            b.header("Content-Type", c.contentType());
        }
        Map<String, String> headers = new LinkedHashMap<>(e.headers);
        headers.putAll(c.headers());
        headers.forEach(b::header);
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException ex) {
            throw new AssertionError(e.method + " " + c.path() + " [" + c.what() + "]: " + ex, ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    private static List<Case> cases(Endpoint e) {
        String path = e.path(e.pathValues);
        List<Case> cases = new ArrayList<>();
        String json = "application/json";
        // Bodies that are not a JSON object.
        for (String raw : new String[] {"", "{", "{\"a\":", "nul", "[]", "\"text\"", "42", "null", "{}}", "{'a':1}",
            DEEP_ARRAY, DEEP_OBJECT}) {
            cases.add(new Case("body " + abbreviate(raw), path, json, utf8(raw), Map.of()));
        }
        cases.add(new Case("no body", path, json, null, Map.of()));
        byte[] valid = utf8(e.body);
        // Wrong content types for a valid body.
        for (String type : new String[] {"text/plain", "application/xml", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x", "application/json; charset=nope", "garbage", ";;;"}) {
            if (e.alsoAccepted.contains(type)) {
                continue;
            }
            cases.add(new Case("content type " + type, path, type, valid, Map.of()));
        }
        // A body without Content-Type is read as JSON (curl -d aside, every client sends one): not swept.
        JsonNode root = parse(e.body);
        if (root instanceof ObjectNode object) {
            ObjectNode unknown = object.deepCopy();
            unknown.put("sluiceUnknownField", 1);
            cases.add(new Case("unknown field", path, json, utf8(unknown.toString()), Map.of()));
            cases.add(new Case("invalid UTF-8", path, json, invalidUtf8(object), Map.of()));
            mutateFields(e, object, object, "", path, cases);
        }
        // Malformed headers: the endpoint's own, and the request id every service reads.
        Map<String, List<String>> headers = new LinkedHashMap<>(e.badHeaders);
        for (var h : headers.entrySet()) {
            for (String v : h.getValue()) {
                cases.add(new Case("header " + h.getKey() + ": " + abbreviate(v), path, json, valid,
                        Map.of(h.getKey(), v)));
            }
        }
        // Malformed path parameters, one slot at a time.
        for (int i = 0; i < e.pathValues.size(); i++) {
            for (String bad : e.badPathValues) {
                List<String> values = new ArrayList<>(e.pathValues);
                values.set(i, bad);
                cases.add(new Case("path parameter " + (i + 1) + " " + abbreviate(bad), e.path(values), json, valid,
                        Map.of()));
            }
        }
        return cases;
    }

    /** Replaces each field (at any depth; in arrays, the first element) with values of the wrong type or size. */
    private static void mutateFields(Endpoint e, ObjectNode root, JsonNode node, String prefix, String path,
            List<Case> cases) {
        if (node instanceof ObjectNode object) {
            for (Iterator<String> names = object.fieldNames(); names.hasNext();) {
                String name = names.next();
                String field = prefix.isEmpty() ? name : prefix + "." + name;
                JsonNode value = object.get(name);
                for (String bad : wrongValues(value, e.anyJson.contains(field))) {
                    String original = value.toString();
                    object.set(name, rawPlaceholder());
                    String text = root.toString().replace("\"" + PLACEHOLDER + "\"", bad);
                    object.set(name, parse(original));
                    cases.add(new Case("field " + field + " = " + abbreviate(bad), path, "application/json",
                            utf8(text), Map.of()));
                }
                if (!e.anyJson.contains(field)) {
                    mutateFields(e, root, object.get(name), field, path, cases);
                }
            }
        } else if (node instanceof ArrayNode array && !array.isEmpty()) {
            mutateFields(e, root, array.get(0), prefix, path, cases);
        }
    }

    private static final String PLACEHOLDER = "__sluice_bad_input__";

    private static JsonNode rawPlaceholder() {
        return JSON.getNodeFactory().textNode(PLACEHOLDER);
    }

    private static List<String> wrongValues(JsonNode value, boolean anyJson) {
        List<String> bad = new ArrayList<>();
        bad.add(DEEP_ARRAY);
        if (anyJson) {
            return bad;
        }
        if (value.isTextual()) {
            bad.add("{\"x\":1}");
            bad.add("[\"x\"]");
            bad.add(quote(MEGABYTE));
        } else if (value.isNumber()) {
            bad.add("\"abc\"");
            bad.add("{\"x\":1}");
            bad.addAll(List.of(HUGE_NUMBERS));
        } else if (value.isBoolean()) {
            bad.add("\"maybe\"");
            bad.add("{\"x\":1}");
        } else if (value.isArray()) {
            bad.add("\"x\"");
            bad.add("{\"x\":1}");
        } else if (value.isObject()) {
            bad.add("\"x\"");
            bad.add("[1]");
        }
        return bad;
    }

    private static byte[] invalidUtf8(ObjectNode object) {
        ObjectNode copy = object.deepCopy();
        String target = null;
        for (Iterator<String> names = copy.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (copy.get(name).isTextual()) {
                target = name;
                break;
            }
        }
        if (target == null) {
            copy.put(PLACEHOLDER, 1);
        } else {
            copy.put(target, PLACEHOLDER);
        }
        byte[] text = utf8(copy.toString());
        byte[] marker = utf8(PLACEHOLDER);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < text.length; i++) {
            if (i + marker.length <= text.length && java.util.Arrays.equals(text, i, i + marker.length, marker, 0,
                    marker.length)) {
                out.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE});
                i += marker.length - 1;
            } else {
                out.write(text[i]);
            }
        }
        return out.toByteArray();
    }

    private static JsonNode parse(String json) {
        try {
            return json == null ? null : JSON.readTree(json);
        } catch (JsonProcessingException ex) {
            throw new IllegalArgumentException("the valid body is not JSON: " + json, ex);
        }
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static byte[] utf8(String s) {
        return s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…(" + s.length() + " chars)" : s;
    }
}
