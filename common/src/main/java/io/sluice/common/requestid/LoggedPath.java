package io.sluice.common.requestid;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.impl.HttpServerRequestInternal;
import io.vertx.ext.web.RoutingContext;

/**
 * What a log line may say about a request's path. Paths carry secrets (rate-limiter's
 * {@code /v1/ratelimit/keys/<api key>}, a cache key, a client's mistyped URL), so a log names the route's template
 * ({@code /v1/ratelimit/keys/{key}}, which Quarkus REST records for metrics and tracing) and, for a request no REST
 * route matched, only the first two segments of the path ({@code /v1/ratelimit/…}); health, metrics and the static
 * console are logged as they are.
 */
public final class LoggedPath {

    /** Where Quarkus REST keeps the matched template on the request's context (its ObservabilityUtil). */
    static final String TEMPLATE = "UrlPathTemplate";

    private LoggedPath() {
    }

    /** @param template the matched route template, or null */
    public static String of(String template, String path) {
        if (template != null && !template.isEmpty()) {
            return template;
        }
        if (path == null || path.isEmpty()) {
            return "/";
        }
        if (path.startsWith("/q/") || path.equals("/q") || path.startsWith("/console") && !path.startsWith("/console/api")
                || path.startsWith("/webjars/")) {
            return path;
        }
        int segments = 0;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '/' && ++segments == 3 && i < path.length() - 1) {
                return path.substring(0, i + 1) + "…";
            }
        }
        return path;
    }

    /** In a Vert.x route filter or end handler. */
    public static String of(RoutingContext ctx) {
        Object template = null;
        if (ctx.request() instanceof HttpServerRequestInternal internal) {
            template = internal.context().getLocal(TEMPLATE);
        }
        return of(template instanceof String s ? s : null, ctx.normalizedPath());
    }

    /** While a request is handled (in a JAX-RS exception mapper, say). */
    public static String current(String path) {
        Context context = Vertx.currentContext();
        Object template = context == null ? null : context.getLocal(TEMPLATE);
        return of(template instanceof String s ? s : null, path);
    }
}
