package io.sluice.common.problem;

import java.util.List;
import java.util.Map;

/**
 * A domain failure that becomes a problem+json answer. Services throw it with their own
 * {@link ProblemType}; {@link ProblemMapper} is the one place that turns it into a response.
 */
public class ProblemException extends RuntimeException {

    private final transient ProblemType type;
    private final String code;
    private final List<FieldError> errors;
    private final Long retryAfterSeconds;
    private final Map<String, String> headers;

    public ProblemException(ProblemType type, String detail) {
        this(type, detail, null, null, null, Map.of(), null);
    }

    public ProblemException(ProblemType type, String detail, Throwable cause) {
        this(type, detail, null, null, null, Map.of(), cause);
    }

    private ProblemException(ProblemType type, String detail, String code, List<FieldError> errors,
            Long retryAfterSeconds, Map<String, String> headers, Throwable cause) {
        super(detail, cause, false, false);
        this.type = type;
        this.code = code;
        this.errors = errors;
        this.retryAfterSeconds = retryAfterSeconds;
        this.headers = headers;
    }

    /** A copy carrying a backend error code such as a PostgreSQL SQLSTATE. */
    public ProblemException withCode(String backendCode) {
        return new ProblemException(type, getMessage(), backendCode, errors, retryAfterSeconds, headers, getCause());
    }

    public ProblemException withErrors(List<FieldError> fieldErrors) {
        return new ProblemException(type, getMessage(), code, fieldErrors, retryAfterSeconds, headers, getCause());
    }

    /** A copy that also answers with these response headers (e.g. WWW-Authenticate). */
    public ProblemException withHeaders(Map<String, String> extraHeaders) {
        return new ProblemException(type, getMessage(), code, errors, retryAfterSeconds, Map.copyOf(extraHeaders),
                getCause());
    }

    /** A copy that also answers with these response headers (e.g. RateLimit-*), and Retry-After. */
    public ProblemException withRetryAfter(long seconds, Map<String, String> extraHeaders) {
        return new ProblemException(type, getMessage(), code, errors, seconds, Map.copyOf(extraHeaders), getCause());
    }

    public ProblemType type() {
        return type;
    }

    public String code() {
        return code;
    }

    public List<FieldError> errors() {
        return errors;
    }

    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
