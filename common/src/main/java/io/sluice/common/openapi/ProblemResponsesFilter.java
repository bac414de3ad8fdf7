package io.sluice.common.openapi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;
import org.jboss.jandex.IndexView;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import io.sluice.common.auth.AdminOnly;
import io.sluice.common.problem.CommonProblem;
import io.sluice.common.problem.Problem;
import io.sluice.common.problem.ProblemType;

/**
 * What every operation of every Sluice service answers alike, added to its OpenAPI document at build time so the
 * resources only document what is their own ({@code @Operation}, success and service problem {@code @APIResponse}s):
 * <ul>
 * <li>the {@code Problem} schema and every 4xx/5xx response as {@code application/problem+json} of it;</li>
 * <li>the {@code admin-token} bearer scheme, required by each {@link AdminOnly} operation, with its 401
 * {@code unauthorized} and 403 {@code forbidden};</li>
 * <li>400 {@code malformed-request}/{@code validation-failed}, 413 and 415 where a body is read, 400
 * {@code validation-failed} where parameters are, and 500 {@code internal-error} everywhere.</li>
 * </ul>
 * A response names each problem type it can carry as {@code `slug`} in its description (the type is
 * {@code https://sluice.dev/problems/<slug>}); test-harness's {@code OpenApiContractTest} and the bad-input sweep check
 * that the document and the service's answers agree.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ProblemResponsesFilter implements OASFilter {

    /** The security scheme of the admin endpoints. */
    public static final String ADMIN_SCHEME = "admin-token";

    private final Set<String> admin;

    public ProblemResponsesFilter(IndexView index) {
        this.admin = AdminOperations.in(index);
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.components(OASFactory.createComponents());
        }
        openAPI.getComponents().addSchema(ProblemSchema.NAME, ProblemSchema.create());
        openAPI.getComponents().addSecurityScheme(ADMIN_SCHEME, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.HTTP).scheme("bearer")
                .description("`Authorization: Bearer <admin token>`: the service's `<service>.admin.token` (or "
                        + "`SLUICE_ADMIN_TOKEN`). Missing or wrong: 401 `unauthorized`; none configured: 403 "
                        + "`forbidden` (the admin endpoints are closed)."));
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> item.getOperations()
                .forEach((method, operation) -> complete(method.name() + " " + path, item, operation)));
    }

    private void complete(String key, PathItem item, Operation operation) {
        if (operation.getResponses() == null) {
            operation.responses(OASFactory.createAPIResponses());
        }
        APIResponses responses = operation.getResponses();
        if (admin.contains(key)) {
            operation.security(List.of(OASFactory.createSecurityRequirement().addScheme(ADMIN_SCHEME)));
            name(responses, CommonProblem.UNAUTHORIZED);
            name(responses, CommonProblem.FORBIDDEN);
        }
        if (operation.getRequestBody() != null) {
            name(responses, CommonProblem.MALFORMED_REQUEST);
            name(responses, CommonProblem.VALIDATION_FAILED);
            name(responses, CommonProblem.PAYLOAD_TOO_LARGE);
            name(responses, CommonProblem.UNSUPPORTED_MEDIA_TYPE);
        }
        boolean parameters = (operation.getParameters() != null && !operation.getParameters().isEmpty())
                || (item.getParameters() != null && !item.getParameters().isEmpty());
        if (parameters) {
            name(responses, CommonProblem.VALIDATION_FAILED);
        }
        name(responses, CommonProblem.INTERNAL_ERROR);
        Map<String, APIResponse> all = responses.getAPIResponses() == null ? Map.of()
                : new LinkedHashMap<>(responses.getAPIResponses());
        all.forEach((code, response) -> {
            if (code.length() == 3 && code.charAt(0) >= '4' && response.getRef() == null
                    && (response.getContent() == null || response.getContent().getMediaTypes() == null
                            || response.getContent().getMediaTypes().isEmpty())) {
                response.content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                        OASFactory.createMediaType().schema(ProblemSchema.ref())));
            }
        });
    }

    /** Adds {@code type}'s status to the responses if missing, and names the type in its description. */
    private static void name(APIResponses responses, ProblemType type) {
        String code = Integer.toString(type.status());
        APIResponse response = responses.getAPIResponse(code);
        String line = "`" + type.slug() + "`: " + type.title();
        if (response == null) {
            responses.addAPIResponse(code, OASFactory.createAPIResponse().description(line));
        } else if (response.getDescription() == null || response.getDescription().isBlank()) {
            response.description(line);
        } else if (!response.getDescription().contains("`" + type.slug() + "`")) {
            response.description(response.getDescription() + "; " + line);
        }
    }
}
