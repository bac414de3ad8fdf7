package io.sluice.common.problem;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.sluice.common.requestid.RequestIds;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Errors raised by Vert.x itself, before any JAX-RS resource is involved: no route matched (404), the body
 * exceeded {@code quarkus.http.limits.max-body-size} (413). They get the same problem+json as the rest.
 */
@ApplicationScoped
public class RouteProblems {

    void install(@Observes Router router) {
        router.errorHandler(404, ctx -> write(ctx, CommonProblem.NOT_FOUND, "No resource at " + ctx.normalizedPath()));
        router.errorHandler(405, ctx -> write(ctx, CommonProblem.METHOD_NOT_ALLOWED,
                "This method is not allowed on " + ctx.normalizedPath()));
        router.errorHandler(413, ctx -> write(ctx, CommonProblem.PAYLOAD_TOO_LARGE,
                "Request body is larger than this service accepts"));
    }

    private static void write(RoutingContext ctx, CommonProblem type, String detail) {
        if (ctx.response().headWritten()) {
            return;
        }
        String id = ctx.get(RequestIds.MDC_KEY);
        var body = Problem.of(type, detail, Problem.instanceOf(ctx.request().path()), id);
        ctx.response().setStatusCode(type.status())
                .putHeader("Content-Type", Problem.MEDIA_TYPE)
                .end(Json.encode(body));
    }
}
