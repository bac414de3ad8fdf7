package io.sluice.common.problem;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
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

    /** After the request-id filter, before any body is read. */
    private static final int BODY_LIMIT_PRIORITY = 900;

    /** Quarkus refuses an oversized body with a bare 413; announced ones are refused here first, as a problem. */
    void limitBodies(@Observes Filters filters) {
        long max = ConfigProvider.getConfig()
                .getOptionalValue("quarkus.http.limits.max-body-size", MemorySize.class)
                .map(MemorySize::asLongValue).orElse(10L * 1024 * 1024);
        filters.register(ctx -> {
            String length = ctx.request().getHeader("Content-Length");
            if (length != null && length.chars().allMatch(Character::isDigit) && length.length() < 19
                    && Long.parseLong(length) > max) {
                write(ctx, CommonProblem.PAYLOAD_TOO_LARGE, "Request body is " + length
                        + " bytes; this service accepts at most " + max);
                ctx.response().headersEndHandler(v -> ctx.response().putHeader("Connection", "close"));
                return;
            }
            ctx.next();
        }, BODY_LIMIT_PRIORITY);
    }

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
