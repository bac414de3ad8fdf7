package io.sluice.common.problem;

/** Problems that any Sluice service can answer with. */
public enum CommonProblem implements ProblemType {
    MALFORMED_REQUEST("malformed-request", 400, "Malformed request"),
    VALIDATION_FAILED("validation-failed", 400, "Request is not valid"),
    UNAUTHORIZED("unauthorized", 401, "Missing or invalid credentials"),
    FORBIDDEN("forbidden", 403, "Not allowed"),
    NOT_FOUND("not-found", 404, "Not found"),
    METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),
    NOT_ACCEPTABLE("not-acceptable", 406, "Not acceptable"),
    PAYLOAD_TOO_LARGE("payload-too-large", 413, "Payload too large"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported media type"),
    HTTP_ERROR("http-error", 400, "HTTP error"),
    SERVICE_UNAVAILABLE("service-unavailable", 503, "Service unavailable"),
    INTERNAL_ERROR("internal-error", 500, "Internal error");

    private final String slug;
    private final int status;
    private final String title;

    CommonProblem(String slug, int status, String title) {
        this.slug = slug;
        this.status = status;
        this.title = title;
    }

    @Override
    public String slug() {
        return slug;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public String title() {
        return title;
    }

    /** The common problem for a bare HTTP status, used when a framework error carries nothing more. */
    public static CommonProblem forStatus(int status) {
        for (CommonProblem p : values()) {
            if (p.status == status && p != HTTP_ERROR) {
                return p;
            }
        }
        return status >= 500 ? INTERNAL_ERROR : HTTP_ERROR;
    }
}
