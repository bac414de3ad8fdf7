package io.sluice.cacheservice.query;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.cacheservice.invalidation.WrittenLsn;
import io.sluice.common.requestid.RequestIds;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;

/**
 * Loads through replica-router's {@code POST /sql} (Neon SQL-over-HTTP): rows as objects with JSON types, the
 * request id passed on. A 4xx from the router is PostgreSQL refusing the statement; anything else (5xx, no
 * answer) is the database being unavailable.
 */
public class RouterQueryLoader implements QueryLoader {

    private final WebClient client;
    private final URI base;
    private final ObjectMapper json;
    private final Duration timeout;
    private final WrittenLsn writtenLsn;

    public RouterQueryLoader(Vertx vertx, String routerUrl, Duration timeout, ObjectMapper json,
            WrittenLsn writtenLsn) {
        this.writtenLsn = writtenLsn;
        this.base = URI.create(routerUrl.endsWith("/") ? routerUrl : routerUrl + "/");
        this.client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true).setMaxPoolSize(50));
        this.json = json;
        this.timeout = timeout;
    }

    @Override
    public String source() {
        return "router";
    }

    @Override
    public Uni<ArrayNode> load(QuerySpec query) {
        ObjectNode body = json.createObjectNode();
        body.put("query", query.sql());
        body.set("params", json.valueToTree(query.params().stream().map(RouterQueryLoader::asText).toList()));
        HttpRequest<Buffer> request = client.postAbs(base.resolve("sql").toString())
                .timeout(timeout.toMillis())
                .putHeader("Content-Type", "application/json")
                .putHeader("Neon-Raw-Text-Output", "false");
        String requestId = RequestIds.current();
        if (requestId != null) {
            request.putHeader("X-Request-Id", requestId);
        }
        // Only a node that has replayed every write cache-service has invalidated for may answer.
        return writtenLsn.current()
                .invoke(lsn -> lsn.ifPresent(l -> request.putHeader("Sluice-Min-Lsn", l)))
                .chain(lsn -> request.sendBuffer(Buffer.buffer(body.toString())))
                .onFailure().transform(e -> new LoadFailure("router unreachable: " + e.getMessage(), false, null, e))
                .map(this::rows);
    }

    /** The Neon driver sends parameters as text; the router types them (null stays null). */
    private static Object asText(JsonNode p) {
        return p == null || p.isNull() ? null : p.isTextual() ? p.textValue() : p.toString();
    }

    private ArrayNode rows(HttpResponse<Buffer> response) {
        JsonNode body = parse(response.bodyAsString());
        int status = response.statusCode();
        if (status >= 400 && status < 500 && status != 408 && status != 429) {
            String message = body.path("message").asText(body.path("detail").asText("refused by the router"));
            throw new LoadFailure(message, true, body.path("code").asText(null), null);
        }
        if (status != 200 || !body.path("rows").isArray()) {
            throw new LoadFailure("router answered " + status, false, null, null);
        }
        return (ArrayNode) body.get("rows");
    }

    private JsonNode parse(String text) {
        try {
            return text == null ? json.createObjectNode() : json.readTree(text);
        } catch (Exception e) {
            return json.valueToTree(Map.of());
        }
    }
}
