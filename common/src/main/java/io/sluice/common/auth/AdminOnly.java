package io.sluice.common.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The resource method (or every method of the resource class) is an operator endpoint: {@link AdminGuard} lets it
 * run only with {@code Authorization: Bearer <admin token>} ({@code <service>.admin.token}, see {@link AdminToken}).
 * No token configured: 403 {@code forbidden}; missing or wrong: 401 {@code unauthorized} (docs/problems.md).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
public @interface AdminOnly {
}
