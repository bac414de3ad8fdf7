package io.sluice.testing;

import static io.restassured.RestAssured.given;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The one-admin-guard check every service runs (issue 18): every state-changing operation of the service's OpenAPI
 * document ({@code /q/openapi?format=json}; any method but GET and HEAD) that is not one of its documented public
 * operations refuses a missing and a wrong bearer token with 401 {@code unauthorized} problem+json, before it does
 * anything, and its OpenAPI operation says so (the {@code admin-token} security scheme, a 401 naming
 * {@code unauthorized}). Listing the public operations explicitly means a new endpoint is an operator endpoint until
 * someone says otherwise.
 */
public final class AdminEndpoints {

    private static final Set<String> READS = Set.of("get", "head", "options", "trace");

    private AdminEndpoints() {
    }

    /** "METHOD /path" of every state-changing operation in the running service's OpenAPI document. */
    public static Set<String> stateChangingOperations() {
        Set<String> ops = new TreeSet<>();
        for (OpenApiDocument.Op op : OpenApiDocument.fetch(RestAssured.baseURI + ":" + RestAssured.port).operations()) {
            if (!READS.contains(op.method().toLowerCase(Locale.ROOT))) {
                ops.add(op.key());
            }
        }
        return ops;
    }

    /**
     * @param publicOperations "METHOD /path" of the documented public state-changing operations (each must exist)
     * @param pathParams values for path parameters where "x" would be refused before the guard (else "x")
     * @return the operator operations checked
     */
    public static List<String> assertOperatorOperationsRefuseBadTokens(Set<String> publicOperations,
            Map<String, String> pathParams) {
        Set<String> all = stateChangingOperations();
        if (!all.containsAll(publicOperations)) {
            throw new AssertionError("documented public operations missing from the OpenAPI document: "
                    + publicOperations.stream().filter(op -> !all.contains(op)).toList() + " (it has " + all + ")");
        }
        List<String> operator = new ArrayList<>();
        for (String op : all) {
            if (!publicOperations.contains(op)) {
                operator.add(op);
            }
        }
        if (operator.isEmpty()) {
            throw new AssertionError("no operator operation in the OpenAPI document: " + all);
        }
        List<String> failures = new ArrayList<>();
        OpenApiDocument doc = OpenApiDocument.fetch(RestAssured.baseURI + ":" + RestAssured.port);
        for (String op : operator) {
            String method = op.substring(0, op.indexOf(' '));
            String path = op.substring(op.indexOf(' ') + 1);
            // What it answers must be what its OpenAPI operation says: the admin-token scheme, 401 unauthorized.
            if (!doc.operation(method, path).requiresAdmin()) {
                failures.add(op + ": its OpenAPI security does not name " + OpenApiDocument.ADMIN_SCHEME);
            }
            String undocumented = doc.undocumented(method, path, 401, "unauthorized");
            if (undocumented != null) {
                failures.add(undocumented);
            }
            String concrete = path;
            for (Map.Entry<String, String> p : pathParams.entrySet()) {
                concrete = concrete.replace("{" + p.getKey() + "}", p.getValue());
            }
            concrete = concrete.replaceAll("\\{[^}]+}", "x");
            for (String authorization : new String[] { null, "Bearer wrong-admin-token" }) {
                RequestSpecification request = given().contentType("application/json").body("{}");
                if (authorization != null) {
                    request = request.header("Authorization", authorization);
                }
                Response r = request.when().request(method, concrete);
                String type = r.getStatusCode() == 401 ? r.jsonPath().getString("type") : null;
                boolean problem = String.valueOf(r.getContentType()).startsWith("application/problem+json");
                if (r.getStatusCode() != 401 || !problem || type == null || !type.endsWith("/unauthorized")) {
                    failures.add(op + " with " + (authorization == null ? "no token" : "a wrong token") + ": HTTP "
                            + r.getStatusCode() + " " + r.getContentType() + " " + r.asString());
                }
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionError("operator operations that did not refuse a missing or wrong admin token with 401 "
                    + "unauthorized problem+json, or whose OpenAPI operation does not say so:\n"
                    + String.join("\n", failures));
        }
        return operator;
    }
}
