package io.sluice.common.requestid;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.MDC;

import io.quarkus.vertx.http.runtime.filters.Filters;

/**
 * Runs before every HTTP route (REST, health, metrics, 404s): takes or makes the request id, puts it in the
 * MDC and echoes it on the response. A Vert.x filter rather than a JAX-RS one so that non-REST routes get it too.
 */
@ApplicationScoped
public class RequestIdFilter {

    /** Before anything else that may log. */
    private static final int PRIORITY = 1000;

    void register(@Observes Filters filters) {
        filters.register(ctx -> {
            String id = RequestIds.acceptOrGenerate(ctx.request().getHeader(RequestIds.HEADER));
            MDC.put(RequestIds.MDC_KEY, id);
            ctx.put(RequestIds.MDC_KEY, id);
            ctx.response().putHeader(RequestIds.HEADER, id);
            ctx.next();
        }, PRIORITY);
    }
}
