package io.sluice.querymonitor.console;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.common.requestid.RequestIds;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;

/**
 * HTTP calls from the console to the services. Never fails: an unreachable service or a timeout becomes an
 * {@link Upstream} saying so, which the console shows as DOWN. Passes the request id on.
 */
@ApplicationScoped
public class UpstreamClient {

    private final ConsoleConfig config;
    private final ConsoleMetrics metrics;
    private final WebClient http;

    public UpstreamClient(ConsoleConfig config, ConsoleMetrics metrics, Vertx vertx) {
        this.config = config;
        this.metrics = metrics;
        this.http = WebClient.create(vertx);
    }

    /** {@code pathAndQuery} starts with '/'; {@code authorization} (a full header value) may be null. */
    public Uni<Upstream> call(ConsoleService service, HttpMethod method, String pathAndQuery, String authorization,
            String jsonBody) {
        var request = http.requestAbs(method, service.baseUrl(config) + pathAndQuery)
                .timeout(config.timeout().toMillis());
        String requestId = RequestIds.current();
        if (requestId != null) {
            request.putHeader(RequestIds.HEADER, requestId);
        }
        if (authorization != null) {
            request.putHeader("Authorization", authorization);
        }
        Uni<HttpResponse<Buffer>> sent = jsonBody == null ? request.send()
                : request.putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(jsonBody));
        return sent
                .map(r -> Upstream.answered(r.statusCode(), r.getHeader("Content-Type"), r.bodyAsString()))
                .onFailure().recoverWithItem(e -> Upstream.unreachable(describe(e)))
                .invoke(u -> metrics.recordUpstream(service, u));
    }

    public Uni<Upstream> get(ConsoleService service, String pathAndQuery, String authorization) {
        return call(service, HttpMethod.GET, pathAndQuery, authorization, null);
    }

    private static String describe(Throwable e) {
        String name = e.getClass().getSimpleName();
        if (name.contains("Timeout")) {
            return "no answer within the console timeout";
        }
        if (name.contains("Connect") || (e.getMessage() != null && e.getMessage().contains("Connection refused"))) {
            return "connection refused";
        }
        return "not reachable: " + (e.getMessage() == null ? name : e.getMessage());
    }
}
