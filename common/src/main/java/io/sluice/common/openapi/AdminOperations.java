package io.sluice.common.openapi;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationTarget;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.IndexView;
import org.jboss.jandex.MethodInfo;

import io.sluice.common.auth.AdminOnly;

/**
 * The operations {@link AdminOnly} guards, as {@code "METHOD /path"} keys the way the OpenAPI document spells them
 * ({@code "PUT /v1/admin/pools/{node}"}), read from the application's Jandex index at build time.
 */
final class AdminOperations {

    private static final DotName PATH = DotName.createSimple("jakarta.ws.rs.Path");
    private static final DotName ADMIN_ONLY = DotName.createSimple(AdminOnly.class.getName());
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");

    private AdminOperations() {
    }

    static Set<String> in(IndexView index) {
        Set<String> admin = new TreeSet<>();
        for (AnnotationInstance path : index.getAnnotations(PATH)) {
            if (path.target().kind() != AnnotationTarget.Kind.CLASS) {
                continue;
            }
            ClassInfo resource = path.target().asClass();
            boolean all = resource.hasDeclaredAnnotation(ADMIN_ONLY);
            for (MethodInfo method : resource.methods()) {
                String http = httpMethod(method);
                if (http != null && (all || method.hasDeclaredAnnotation(ADMIN_ONLY))) {
                    AnnotationInstance sub = method.declaredAnnotation(PATH);
                    admin.add(key(http, path.value().asString(), sub == null ? "" : sub.value().asString()));
                }
            }
        }
        return admin;
    }

    static String key(String method, String classPath, String methodPath) {
        return method.toUpperCase(Locale.ROOT) + " " + template(classPath + "/" + methodPath);
    }

    /** {@code "/"+"v1/x/"+"{id: [0-9]+}"} -> {@code "/v1/x/{id}"}: one slash each, no regex, no trailing slash. */
    static String template(String joined) {
        String p = ("/" + joined).replaceAll("\\{\\s*([^}:\\s]+)\\s*:[^}]*}", "{$1}").replaceAll("/+", "/");
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    private static String httpMethod(MethodInfo method) {
        for (String m : METHODS) {
            if (method.hasDeclaredAnnotation(DotName.createSimple("jakarta.ws.rs." + m))) {
                return m;
            }
        }
        return null;
    }
}
