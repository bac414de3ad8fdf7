package io.sluice.common.json;

import java.util.Locale;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.sluice.common.problem.CommonProblem;
import io.sluice.common.problem.ProblemException;

/**
 * JSON is UTF-8 (RFC 8259): a JSON request body declared in another charset ({@code application/json;
 * charset=latin1}, or one that does not exist) is refused with 415 rather than read as UTF-8 anyway, and so is a
 * Content-Type that is not a media type at all.
 */
public class JsonCharset {

    @ServerRequestFilter(preMatching = true)
    public void check(ContainerRequestContext request) {
        MediaType type;
        try {
            type = request.getMediaType();
        } catch (IllegalArgumentException e) {
            // Not a media type at all ("garbage", ";;;"): the resource would refuse it too, but later and as a 500.
            throw new ProblemException(CommonProblem.UNSUPPORTED_MEDIA_TYPE,
                    "Content-Type is not a media type; send application/json");
        }
        if (type == null || !type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
            return;
        }
        String charset = type.getParameters().get(MediaType.CHARSET_PARAMETER);
        if (charset != null && !charset.toLowerCase(Locale.ROOT).replace("\"", "").equals("utf-8")) {
            throw new ProblemException(CommonProblem.UNSUPPORTED_MEDIA_TYPE,
                    "JSON bodies are UTF-8; send Content-Type: application/json (charset=utf-8 or none)");
        }
    }
}
