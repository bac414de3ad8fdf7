package io.sluice.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.tngtech.archunit.core.domain.JavaAnnotation;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaParameter;
import com.tngtech.archunit.core.importer.ClassFileImporter;

/**
 * Every JAX-RS resource method of a service, read from its compiled classes (ArchUnit), independently of what the
 * OpenAPI scanner made of them: its HTTP method and path template, whether it reads a body or takes parameters, and
 * whether common's {@code @AdminOnly} guards it.
 */
public final class ResourceMethods {

    private static final String JAXRS = "jakarta.ws.rs.";
    private static final String ADMIN_ONLY = "io.sluice.common.auth.AdminOnly";
    private static final List<String> HTTP = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");
    /** Parameter annotations that bind something other than the body. */
    private static final List<String> BINDINGS = List.of("PathParam", "QueryParam", "HeaderParam", "CookieParam",
            "MatrixParam", "FormParam", "BeanParam", "core.Context");
    /** Parameter types the framework fills in (UriInfo, HttpHeaders, ...): not a body either. */
    private static final List<String> CONTEXT_PACKAGES = List.of("jakarta.ws.rs.", "io.vertx.",
            "org.jboss.resteasy.reactive.");

    /** {@code key} is "METHOD /path/{param}"; {@code where} the Java method, for messages. */
    public record ResourceMethod(String key, String where, boolean admin, boolean body, boolean parameters) {
    }

    private ResourceMethods() {
    }

    /** The service's own resource methods (production classes). */
    public static List<ResourceMethod> of(String rootPackage) {
        List<ResourceMethod> out = new ArrayList<>(of(ArchitectureRules.productionClasses(rootPackage), rootPackage));
        out.addAll(shared());
        return out;
    }

    /** With the resources only tests deploy (a test-only endpoint is in the test run's document too). */
    public static List<ResourceMethod> withTestResources(String rootPackage) {
        List<ResourceMethod> out = new ArrayList<>(of(new ClassFileImporter().importPackages(rootPackage),
                rootPackage));
        out.addAll(shared());
        return out;
    }

    /** The resources in common that every service serves (GET /v1/history). */
    private static List<ResourceMethod> shared() {
        return of(ArchitectureRules.productionClasses(SHARED), SHARED);
    }

    private static final String SHARED = "io.sluice.common";

    private static List<ResourceMethod> of(JavaClasses classes, String rootPackage) {
        List<ResourceMethod> out = new ArrayList<>();
        for (JavaClass c : classes) {
            Optional<String> base = value(c.tryGetAnnotationOfType(JAXRS + "Path"));
            if (base.isEmpty()) {
                continue;
            }
            for (JavaMethod m : c.getMethods()) {
                Optional<String> http = HTTP.stream().filter(h -> m.isAnnotatedWith(JAXRS + h)).findFirst();
                if (http.isEmpty()) {
                    continue;
                }
                String sub = value(m.tryGetAnnotationOfType(JAXRS + "Path")).orElse("");
                boolean body = false;
                boolean parameters = false;
                for (JavaParameter p : m.getParameters()) {
                    boolean bound = p.getAnnotations().stream().anyMatch(a -> BINDINGS.stream()
                            .anyMatch(b -> a.getRawType().getName().equals(JAXRS + b)));
                    boolean context = CONTEXT_PACKAGES.stream().anyMatch(p.getRawType().getName()::startsWith);
                    parameters |= bound && p.getAnnotations().stream()
                            .noneMatch(a -> a.getRawType().getName().equals(JAXRS + "core.Context"));
                    body |= !bound && !context;
                }
                out.add(new ResourceMethod(http.get() + " " + template(base.get() + "/" + sub),
                        c.getSimpleName() + "." + m.getName(), c.isAnnotatedWith(ADMIN_ONLY)
                                || m.isAnnotatedWith(ADMIN_ONLY), body, parameters));
            }
        }
        if (out.isEmpty()) {
            throw new AssertionError("no JAX-RS resource method found under " + rootPackage);
        }
        return out;
    }

    /** {@code "/v1/x/" + "/{id: [0-9]+}/"} -> {@code /v1/x/{id}} */
    static String template(String joined) {
        String p = ("/" + joined).replaceAll("\\{\\s*([^}:\\s]+)\\s*:[^}]*}", "{$1}").replaceAll("/+", "/");
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    private static Optional<String> value(Optional<? extends JavaAnnotation<?>> annotation) {
        return annotation.flatMap(a -> a.get("value")).map(Object::toString);
    }
}
