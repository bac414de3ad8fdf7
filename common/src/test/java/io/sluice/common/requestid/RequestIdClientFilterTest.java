package io.sluice.common.requestid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.reflect.Proxy;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;

import org.jboss.logging.MDC;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RequestIdClientFilterTest {

    private final MultivaluedMap<String, Object> headers = new MultivaluedHashMap<>();
    /** Only getHeaders() is used by the filter; any other call fails the test. */
    private final ClientRequestContext request = (ClientRequestContext) Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] { ClientRequestContext.class }, (proxy, method, args) -> {
                if (method.getName().equals("getHeaders")) {
                    return headers;
                }
                throw new UnsupportedOperationException(method.getName());
            });

    @AfterEach
    void clear() {
        MDC.remove(RequestIds.MDC_KEY);
    }

    @Test
    void passesTheCurrentRequestIdOn() {
        MDC.put(RequestIds.MDC_KEY, "abc-123");
        new RequestIdClientFilter().filter(request);
        assertEquals("abc-123", headers.getFirst(RequestIds.HEADER));
    }

    @Test
    void keepsAnIdTheCallerSetExplicitly() {
        MDC.put(RequestIds.MDC_KEY, "abc-123");
        headers.putSingle(RequestIds.HEADER, "explicit");
        new RequestIdClientFilter().filter(request);
        assertEquals("explicit", headers.getFirst(RequestIds.HEADER));
    }

    @Test
    void addsNothingOutsideARequest() {
        new RequestIdClientFilter().filter(request);
        assertNull(headers.getFirst(RequestIds.HEADER));
    }

    @Test
    void unsafeIncomingIdsAreReplaced() {
        assertEquals("ok-1", RequestIds.acceptOrGenerate("ok-1"));
        assertEquals(36, RequestIds.acceptOrGenerate("a\nb").length());
        assertEquals(36, RequestIds.acceptOrGenerate("x".repeat(129)).length());
        assertEquals(36, RequestIds.acceptOrGenerate(null).length());
    }
}
