package io.sluice.querymonitor.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.sluice.common.problem.ProblemException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The state-changing calls the console can make, each one service endpoint. The parameters are validated here
 * before anything is sent, so a bad request never reaches a service.
 */
public enum ConsoleAction {
    /** Sets an API key's tier: PUT rate-limiter /v1/ratelimit/keys/{key}. */
    TIER("rate-limiter.tier", ConsoleService.RATE_LIMITER, HttpMethod.PUT),
    /** Flushes one cache namespace: DELETE cache-service /v1/cache/namespaces/{namespace}. */
    FLUSH_NAMESPACE("cache-service.flush-namespace", ConsoleService.CACHE_SERVICE, HttpMethod.DELETE),
    /** Asks what promoting a node would do, changing nothing: POST replica-router /v1/admin/failover, dry_run. */
    FAILOVER_DRY_RUN("replica-router.failover-dry-run", ConsoleService.REPLICA_ROUTER, HttpMethod.POST),
    /** Starts a before/after verification of an index: POST query-monitor /v1/indexes/verifications. */
    VERIFY_INDEX("query-monitor.verify-index", ConsoleService.QUERY_MONITOR, HttpMethod.POST),
    /**
     * Restores an archive into a new table, checked against its manifest: POST partition-manager
     * /v1/archives/{id}/restore. Never into the original parent, whose retention would retire it again.
     */
    RESTORE_ARCHIVE("partition-manager.restore-archive", ConsoleService.PARTITION_MANAGER, HttpMethod.POST);

    private static final Set<String> TIERS = Set.of("free", "standard", "pro", "enterprise");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern TABLE = Pattern.compile("[a-z_][a-z0-9_]{0,62}(\\.[a-z_][a-z0-9_]{0,62})?");

    private final String id;
    private final ConsoleService service;
    private final HttpMethod method;

    ConsoleAction(String id, ConsoleService service, HttpMethod method) {
        this.id = id;
        this.service = service;
        this.method = method;
    }

    public String id() {
        return id;
    }

    public ConsoleService service() {
        return service;
    }

    public HttpMethod method() {
        return method;
    }

    public static Optional<ConsoleAction> byId(String id) {
        return Arrays.stream(values()).filter(a -> a.id.equals(id)).findFirst();
    }

    /** The upstream path for these (validated) parameters. */
    public String path(ActionRequest r) {
        return switch (this) {
            case TIER -> "/v1/ratelimit/keys/" + segment(required(r.key(), "key", 256));
            case FLUSH_NAMESPACE -> "/v1/cache/namespaces/" + segment(name(r.namespace(), "namespace"));
            case FAILOVER_DRY_RUN -> "/v1/admin/failover";
            case VERIFY_INDEX -> "/v1/indexes/verifications";
            case RESTORE_ARCHIVE -> "/v1/archives/" + segment(name(r.archive(), "archive")) + "/restore";
        };
    }

    /** The upstream JSON body, or null for none. */
    public String body(ActionRequest r) {
        return switch (this) {
            case TIER -> {
                String tier = required(r.tier(), "tier", 32);
                if (!TIERS.contains(tier)) {
                    throw invalid("tier must be one of free, standard, pro, enterprise; not '" + tier + "'");
                }
                yield new JsonObject().put("tier", tier).encode();
            }
            case FLUSH_NAMESPACE -> null;
            case FAILOVER_DRY_RUN -> new JsonObject().put("promote", name(r.node(), "node")).put("dry_run", true)
                    .encode();
            case VERIFY_INDEX -> new JsonObject().put("index", required(r.index(), "index", 200))
                    .put("fingerprints", new JsonArray(fingerprints(r.fingerprints()))).encode();
            case RESTORE_ARCHIVE -> {
                String table = required(r.table(), "table", 127);
                if (!TABLE.matcher(table).matches()) {
                    throw invalid("table must be a lower-case name, optionally schema-qualified"
                            + " (e.g. archive.message_2026_05)");
                }
                yield new JsonObject().put("into", "table").put("table", table).encode();
            }
        };
    }

    /** What the log may say about the target: never an API key. */
    public String target(ActionRequest r) {
        return switch (this) {
            case TIER -> "tier " + r.tier();
            case FLUSH_NAMESPACE -> "namespace " + r.namespace();
            case FAILOVER_DRY_RUN -> "node " + r.node();
            case VERIFY_INDEX -> "index " + r.index();
            case RESTORE_ARCHIVE -> "archive " + r.archive() + " into " + r.table();
        };
    }

    private static List<String> fingerprints(List<String> values) {
        if (values == null || values.isEmpty() || values.size() > 50) {
            throw invalid("fingerprints must list 1 to 50 fingerprints");
        }
        for (String v : values) {
            name(v, "each fingerprint");
        }
        return values;
    }

    private static String name(String value, String field) {
        String v = required(value, field, 64);
        if (!NAME.matcher(v).matches()) {
            throw invalid(field + " may hold only letters, digits and . _ : - (1 to 64 characters)");
        }
        return v;
    }

    private static String required(String value, String field, int max) {
        if (value == null || value.isBlank()) {
            throw invalid(field + " is required");
        }
        if (value.length() > max) {
            throw invalid(field + " is longer than " + max + " characters");
        }
        return value;
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ConsoleProblem.INVALID_ACTION, detail);
    }
}
