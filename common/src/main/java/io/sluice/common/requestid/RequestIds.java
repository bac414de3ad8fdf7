package io.sluice.common.requestid;

import java.util.UUID;
import java.util.regex.Pattern;

import org.jboss.logging.MDC;

/**
 * Correlation ids. A caller's {@code X-Request-Id} is kept when it is sane (so one id follows a request
 * across services), otherwise a new one is made. The id lives in the logging MDC, which Quarkus keeps
 * per request on the Vert.x duplicated context, so every log line of the request carries it.
 */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

    private RequestIds() {
    }

    /** The incoming id if it is safe to log and echo, else a fresh one. */
    public static String acceptOrGenerate(String incoming) {
        return incoming != null && SAFE.matcher(incoming).matches() ? incoming : UUID.randomUUID().toString();
    }

    /** The current request's id, or null outside a request. */
    public static String current() {
        Object id = MDC.get(MDC_KEY);
        return id == null ? null : id.toString();
    }
}
