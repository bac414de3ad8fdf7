package io.sluice.common.problem;

import java.net.URI;
import java.util.Comparator;
import java.util.List;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.sluice.common.requestid.LoggedPath;
import io.sluice.common.requestid.RequestIds;

/**
 * The one place where every failure of a JAX-RS endpoint becomes {@code application/problem+json}.
 * Nothing internal (class names, stack traces, SQL) ever reaches the body; 5xx are logged with the request id.
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        var body = Problem.of(e.type(), e.getMessage(), instance(uri), RequestIds.current())
                .withCode(e.code())
                .withErrors(e.errors())
                .withRetryAfterSeconds(e.retryAfterSeconds());
        if (e.type().status() >= 500) {
            LOG.warnf("%s: %s", e.type().slug(), e.getMessage());
        }
        var response = Response.status(body.status()).type(Problem.MEDIA_TYPE).entity(body);
        e.headers().forEach(response::header);
        if (e.retryAfterSeconds() != null) {
            response.header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds());
        }
        return response.build();
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonParseException e, UriInfo uri) {
        return respond(CommonProblem.MALFORMED_REQUEST,
                "Request body is not valid JSON: " + e.getOriginalMessage(), uri);
    }

    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e, UriInfo uri) {
        return fieldProblem(e, uri);
    }

    @ServerExceptionMapper
    public Response invalidFormat(InvalidFormatException e, UriInfo uri) {
        return fieldProblem(e, uri);
    }

    @ServerExceptionMapper
    public Response mapping(JsonMappingException e, UriInfo uri) {
        return fieldProblem(e, uri);
    }

    @ServerExceptionMapper
    public Response otherJson(JsonProcessingException e, UriInfo uri) {
        return respond(CommonProblem.MALFORMED_REQUEST, "Request body could not be read: " + e.getOriginalMessage(), uri);
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, UriInfo uri) {
        List<FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new FieldError(fieldOf(v), v.getMessage()))
                .sorted(Comparator.comparing(FieldError::field))
                .toList();
        var body = Problem.of(CommonProblem.VALIDATION_FAILED,
                errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
                        : errors.size() + " fields are not valid",
                instance(uri), RequestIds.current()).withErrors(errors);
        return Response.status(400).type(Problem.MEDIA_TYPE).entity(body).build();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        // The JSON reader reports unreadable bodies as a 400 wrapping Jackson's exception.
        if (e.getCause() instanceof JsonParseException parse) {
            return malformedJson(parse, uri);
        }
        if (e.getCause() instanceof JsonMappingException mapping) {
            return fieldProblem(mapping, uri);
        }
        if (e.getCause() instanceof JsonProcessingException other) {
            return otherJson(other, uri);
        }
        // JAX-RS answers 404 when a query or path parameter cannot be converted (limit=lots for an int): the
        // resource exists, the input is wrong.
        if (e instanceof NotFoundException && e.getCause() instanceof IllegalArgumentException) {
            return Response.status(400).type(Problem.MEDIA_TYPE).entity(new Problem(
                    CommonProblem.VALIDATION_FAILED.uri(), CommonProblem.VALIDATION_FAILED.title(), 400,
                    "A query or path parameter of " + uri.getPath() + " has the wrong type (a number was expected?)",
                    instance(uri), RequestIds.current(), null, null, null)).build();
        }
        int status = e.getResponse().getStatus();
        var type = CommonProblem.forStatus(status);
        String detail = switch (status) {
            case 404 -> "No resource at " + uri.getPath();
            case 405 -> "This method is not allowed on " + uri.getPath();
            case 406 -> "None of the accepted media types can be produced";
            case 415 -> "Content type not supported here; send application/json";
            default -> status >= 500 ? "The request could not be completed" : safeMessage(e);
        };
        var body = new Problem(type.uri(), type.title(), status, detail, instance(uri), RequestIds.current(),
                null, null, null);
        var response = Response.status(status).type(Problem.MEDIA_TYPE).entity(body);
        var allow = e.getResponse().getHeaderString(HttpHeaders.ALLOW);
        if (allow != null) {
            response.header(HttpHeaders.ALLOW, allow);
        }
        return response.build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        LOG.errorf(e, "Unhandled error on %s", LoggedPath.current(uri.getPath()));
        return respond(CommonProblem.INTERNAL_ERROR,
                "The server failed to complete the request; quote the request id when reporting it", uri);
    }

    private static Response fieldProblem(JsonMappingException e, UriInfo uri) {
        String field = pathOf(e);
        String message = e instanceof UnrecognizedPropertyException
                ? "is not a field of this request"
                : e instanceof InvalidFormatException ife
                ? ife.getTargetType().isEnum()
                        ? "must be one of " + java.util.Arrays.toString(ife.getTargetType().getEnumConstants())
                        : "cannot be read as " + ife.getTargetType().getSimpleName()
                : e instanceof MismatchedInputException mie && mie.getTargetType() != null
                        ? "expected " + describe(mie.getTargetType())
                        : "has the wrong shape";
        var body = Problem.of(CommonProblem.MALFORMED_REQUEST, field + ": " + message, instance(uri),
                RequestIds.current()).withErrors(List.of(new FieldError(field, message)));
        return Response.status(400).type(Problem.MEDIA_TYPE).entity(body).build();
    }

    private static String describe(Class<?> type) {
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (type.isRecord() || type == Object.class) {
            return "an object";
        }
        return "a " + type.getSimpleName().toLowerCase();
    }

    private static String pathOf(JsonMappingException e) {
        var sb = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? "body" : sb.toString();
    }

    private static String fieldOf(ConstraintViolation<?> v) {
        // "method.arg0.field" -> "field": the client knows its body, not our method names.
        String path = v.getPropertyPath().toString();
        String[] parts = path.split("\\.");
        return parts.length > 2 ? String.join(".", List.of(parts).subList(2, parts.length)) : parts[parts.length - 1];
    }

    private static String safeMessage(WebApplicationException e) {
        String message = e.getMessage();
        return message == null || message.startsWith("HTTP ") ? "The request was rejected" : message;
    }

    private static Response respond(CommonProblem type, String detail, UriInfo uri) {
        var body = Problem.of(type, detail, instance(uri), RequestIds.current());
        return Response.status(type.status()).type(Problem.MEDIA_TYPE).entity(body).build();
    }

    private static URI instance(UriInfo uri) {
        return Problem.instanceOf(uri.getRequestUri().getRawPath());
    }
}
