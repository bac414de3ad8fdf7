package io.sluice.common.requestid;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import io.quarkus.vertx.http.runtime.filters.Filters;

/**
 * Runs before every HTTP route (REST, health, metrics, 404s): takes or makes the request id, puts it in the
 * MDC and echoes it on the response. A Vert.x filter rather than a JAX-RS one so that non-REST routes get it too.
 * At DEBUG it writes one access line per request, which carries the id like every other line, and names the route
 * (its template), never the raw path, which may hold an API key ({@link LoggedPath}).
 */
@ApplicationScoped
public class RequestIdFilter {

    private static final Logger LOG = Logger.getLogger(RequestIdFilter.class);

    /** Before anything else that may log. */
    private static final int PRIORITY = 1000;

    void register(@Observes Filters filters) {
        filters.register(ctx -> {
            String id = RequestIds.acceptOrGenerate(ctx.request().getHeader(RequestIds.HEADER));
            MDC.put(RequestIds.MDC_KEY, id);
            ctx.put(RequestIds.MDC_KEY, id);
            ctx.response().putHeader(RequestIds.HEADER, id);
            if (LOG.isDebugEnabled()) {
                long started = System.nanoTime();
                ctx.addEndHandler(done -> LOG.debugf("%s %s -> %d in %.1f ms", ctx.request().method(),
                        LoggedPath.of(ctx), ctx.response().getStatusCode(), (System.nanoTime() - started) / 1e6));
            }
            ctx.next();
        }, PRIORITY);
    }
}
