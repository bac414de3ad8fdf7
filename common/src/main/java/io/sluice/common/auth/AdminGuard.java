package io.sluice.common.auth;

import java.lang.reflect.Method;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The one admin guard of every service: a resource method annotated {@link AdminOnly} (or in a class that is) runs
 * only with the service's admin token ({@link AdminToken}); everything else passes untouched. Runs after matching
 * and before the body is read or validated, so a refused request does nothing.
 */
public class AdminGuard {

    private final AdminToken token;

    public AdminGuard(AdminToken token) {
        this.token = token;
    }

    @ServerRequestFilter
    public void check(ContainerRequestContext request, ResourceInfo resource) {
        if (adminOnly(resource.getResourceClass(), resource.getResourceMethod())) {
            token.require(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        }
    }

    static boolean adminOnly(Class<?> type, Method method) {
        return (method != null && method.isAnnotationPresent(AdminOnly.class))
                || (type != null && type.isAnnotationPresent(AdminOnly.class));
    }
}
