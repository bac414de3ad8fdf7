package io.sluice.testing;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.restassured.RestAssured;
import io.sluice.testing.OpenApiDocument.Op;
import io.sluice.testing.ResourceMethods.ResourceMethod;

/**
 * The OpenAPI document ({@code /q/openapi}) describes every operation of the service (issue 18), checked against the
 * compiled resource classes: each JAX-RS resource method is an operation with a summary, a request body schema where
 * it reads a body, a 2xx response with a schema (or a 204, or headers for a bodiless answer), the admin-token
 * security scheme where {@code @AdminOnly} guards it (an operation checking the token by hand, the console's actions,
 * declares it itself; the admin-guard test holds every state-changing one to it), and the 4xx it answers for a bad body, bad parameters
 * and a missing token; every 4xx/5xx is problem+json naming the problem types it carries, and every problem type the
 * service declares is named by some operation. (What the service really answers is checked too, by the bad-input
 * sweep and the admin-guard test, against the same document: {@link OpenApiDocument#undocumented}.)
 * Each service extends it in a {@code @QuarkusTest} and names its problem type classes.
 */
public abstract class OpenApiContractTest {

    private static final String COMMON_PROBLEMS = "io.sluice.common.problem.CommonProblem";

    /** The classes declaring the service's own problem types (constants made with {@code ProblemType.of}). */
    protected abstract List<Class<?>> problemTypeClasses();

    /** The service's root package; its resources are found under it. */
    protected String rootPackage() {
        return getClass().getPackageName();
    }

    private static OpenApiDocument document() {
        return OpenApiDocument.fetch(RestAssured.baseURI + ":" + RestAssured.port);
    }

    @Test
    void everyResourceMethodIsADocumentedOperation() {
        OpenApiDocument doc = document();
        List<String> failures = new ArrayList<>();
        for (ResourceMethod m : ResourceMethods.of(rootPackage())) {
            Op op = doc.operation(m.key().substring(0, m.key().indexOf(' ')), m.key().substring(m.key().indexOf(' ') + 1));
            if (op == null) {
                failures.add(m.key() + " (" + m.where() + "): not in the OpenAPI document");
                continue;
            }
            String at = op.key() + " (" + m.where() + "): ";
            if (op.node().path("summary").asText("").isBlank()) {
                failures.add(at + "no summary");
            }
            if (m.body() && !hasBodySchema(op.node().path("requestBody"))) {
                failures.add(at + "reads a body but documents no request body schema");
            }
            if (!hasSuccess(op.responses())) {
                failures.add(at + "no 2xx response with a schema (or a 204, or headers)");
            }
            if (m.admin() && !op.requiresAdmin()) {
                failures.add(at + "@AdminOnly but its security does not name " + OpenApiDocument.ADMIN_SCHEME);
            }
            List<String> needed = new ArrayList<>();
            if (m.body()) {
                needed.addAll(List.of("400 malformed-request", "400 validation-failed", "413 payload-too-large",
                        "415 unsupported-media-type"));
            }
            if (m.parameters()) {
                needed.add("400 validation-failed");
            }
            if (m.admin()) {
                needed.addAll(List.of("401 unauthorized", "403 forbidden"));
            }
            for (String n : needed) {
                String[] statusAndType = n.split(" ");
                JsonNode response = op.responses().get(statusAndType[0]);
                if (response == null || !OpenApiDocument.names(response, statusAndType[1])) {
                    failures.add(at + "does not document " + n);
                }
            }
        }
        assertNone(failures, "operations missing from or incomplete in /q/openapi");
    }

    @Test
    void everyDocumentedOperationIsAResourceMethod() {
        Set<String> methods = ResourceMethods.withTestResources(rootPackage()).stream()
                .map(m -> OpenApiDocument.shape(m.key())).collect(Collectors.toSet());
        List<String> failures = document().operations().stream().map(Op::key)
                .filter(k -> !methods.contains(OpenApiDocument.shape(k))).toList();
        assertNone(failures, "operations in /q/openapi that no resource method serves");
    }

    @Test
    void everyProblemResponseIsProblemJsonNamingItsTypes() {
        Map<String, Integer> known = problemTypes();
        List<String> failures = new ArrayList<>();
        for (Op op : document().operations()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = op.responses().fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> r = it.next();
                if (r.getKey().charAt(0) < '4') {
                    continue;
                }
                if (!r.getValue().path("content").path("application/problem+json").has("schema")) {
                    failures.add(op.key() + " " + r.getKey() + ": not application/problem+json with a schema");
                }
                if (known.keySet().stream().noneMatch(slug -> OpenApiDocument.names(r.getValue(), slug))) {
                    failures.add(op.key() + " " + r.getKey() + ": names none of the service's problem types ("
                            + r.getValue().path("description").asText() + ")");
                }
            }
        }
        assertNone(failures, "problem responses");
    }

    @Test
    void everyProblemTypeOfTheServiceIsNamedByAnOperation() {
        Map<String, Integer> own = new LinkedHashMap<>();
        for (Class<?> c : problemTypeClasses()) {
            own.putAll(declared(c));
        }
        if (own.isEmpty()) {
            throw new AssertionError("no problem types declared by " + problemTypeClasses());
        }
        List<Op> ops = document().operations();
        List<String> failures = new ArrayList<>();
        own.forEach((slug, status) -> {
            boolean named = ops.stream().anyMatch(op -> {
                JsonNode r = op.responses().get(Integer.toString(status));
                return r != null && OpenApiDocument.names(r, slug);
            });
            if (!named) {
                failures.add("`" + slug + "` (" + status + ") is named by no operation's " + status + " response");
            }
        });
        assertNone(failures, "problem types the service declares but its OpenAPI document never names");
    }

    /** slug -> status of CommonProblem and the service's own types. */
    private Map<String, Integer> problemTypes() {
        Map<String, Integer> all = new LinkedHashMap<>();
        try {
            all.putAll(declared(Class.forName(COMMON_PROBLEMS, true, getClass().getClassLoader())));
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
        for (Class<?> c : problemTypeClasses()) {
            all.putAll(declared(c));
        }
        return all;
    }

    /** The public static ProblemType constants (or enum constants) of a class, by reflection: slug -> status. */
    static Map<String, Integer> declared(Class<?> type) {
        Map<String, Integer> out = new LinkedHashMap<>();
        try {
            for (Field f : type.getFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    Object v = f.get(null);
                    if (v != null && hasMethod(v, "slug") && hasMethod(v, "status")) {
                        out.put((String) v.getClass().getMethod("slug").invoke(v),
                                (Integer) v.getClass().getMethod("status").invoke(v));
                    }
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot read the problem types of " + type, e);
        }
        return out;
    }

    private static boolean hasMethod(Object o, String name) {
        try {
            o.getClass().getMethod(name);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static boolean hasBodySchema(JsonNode requestBody) {
        JsonNode content = requestBody.path("content");
        if (content.isEmpty()) {
            return false;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = content.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> media = it.next();
            JsonNode schema = media.getValue().path("schema");
            if (schema.isMissingNode() || (media.getKey().contains("json") && isBareString(schema))) {
                return false;
            }
        }
        return true;
    }

    /** A JSON body documented as a plain string (a String parameter the scanner could not see into). */
    private static boolean isBareString(JsonNode schema) {
        return !schema.has("$ref") && !schema.has("properties") && schema.path("type").toString().contains("string");
    }

    private static boolean hasSuccess(JsonNode responses) {
        for (Iterator<Map.Entry<String, JsonNode>> it = responses.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> r = it.next();
            if (r.getKey().charAt(0) != '2') {
                continue;
            }
            boolean schema = false;
            for (JsonNode media : r.getValue().path("content")) {
                schema |= media.has("schema");
            }
            if (schema || r.getKey().equals("204") || !r.getValue().path("headers").isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private static void assertNone(List<String> failures, String what) {
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " " + what + ":\n" + String.join("\n", new TreeSet<>(failures)));
        }
    }
}
