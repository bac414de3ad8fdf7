package io.sluice.common.problem;

import java.net.URI;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem document. Extensions are typed components, never a free map: {@code requestId}
 * ties the answer to the server's log lines, {@code errors} lists invalid fields, {@code retryAfterSeconds}
 * tells a limited client when to come back, {@code code} carries a backend error code (e.g. a SQLSTATE).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        URI type,
        String title,
        int status,
        String detail,
        URI instance,
        String requestId,
        String code,
        List<FieldError> errors,
        Long retryAfterSeconds) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(ProblemType type, String detail, URI instance, String requestId) {
        return new Problem(type.uri(), type.title(), type.status(), detail, instance, requestId, null, null, null);
    }

    /** The request path as a problem {@code instance}, or null when it is not a valid URI reference. */
    public static URI instanceOf(String rawPath) {
        try {
            return rawPath == null ? null : URI.create(rawPath);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public Problem withErrors(List<FieldError> fieldErrors) {
        return new Problem(type, title, status, detail, instance, requestId, code, fieldErrors, retryAfterSeconds);
    }

    public Problem withCode(String backendCode) {
        return new Problem(type, title, status, detail, instance, requestId, backendCode, errors, retryAfterSeconds);
    }

    public Problem withRetryAfterSeconds(Long seconds) {
        return new Problem(type, title, status, detail, instance, requestId, code, errors, seconds);
    }
}
