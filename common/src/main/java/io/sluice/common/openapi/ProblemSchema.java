package io.sluice.common.openapi;

import java.util.List;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;

import io.sluice.common.problem.Problem;
import io.sluice.common.problem.ProblemType;

/** The OpenAPI schema of common's {@link Problem} (RFC 9457 problem+json), component {@code Problem}. */
final class ProblemSchema {

    static final String NAME = "Problem";

    private ProblemSchema() {
    }

    static Schema create() {
        Schema fieldError = object("One invalid input")
                .addProperty("field", text("A JSON path or a parameter name"))
                .addProperty("message", text("What is wrong with it"))
                .required(List.of("field", "message"));
        return object("An RFC 9457 problem: clients branch on `type` (docs/problems.md), never on `detail`")
                .addProperty("type", text(ProblemType.BASE_URI + "<slug>: each response lists the slugs it can carry")
                        .format("uri"))
                .addProperty("title", text("Short summary, the same for every occurrence of the type"))
                .addProperty("status", OASFactory.createSchema().addType(SchemaType.INTEGER).format("int32"))
                .addProperty("detail", text("What went wrong this time"))
                .addProperty("instance", text("The request path").format("uri-reference"))
                .addProperty("requestId", text("X-Request-Id of the request: quote it when reporting a problem"))
                .addProperty("code", text("A backend error code, e.g. a PostgreSQL SQLSTATE"))
                .addProperty("errors", OASFactory.createSchema().addType(SchemaType.ARRAY).items(fieldError)
                        .description("Each invalid field (validation-failed, malformed-request)"))
                .addProperty("retryAfterSeconds", OASFactory.createSchema().addType(SchemaType.INTEGER)
                        .format("int64").description("With 429: when to come back"))
                .required(List.of("type", "title", "status"));
    }

    static Schema ref() {
        return OASFactory.createSchema().ref(NAME);
    }

    private static Schema object(String description) {
        return OASFactory.createSchema().addType(SchemaType.OBJECT).description(description);
    }

    private static Schema text(String description) {
        return OASFactory.createSchema().addType(SchemaType.STRING).description(description);
    }
}
