package io.sluice.common.auth;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.Config;

/**
 * The service's admin token, under the one key scheme every service uses:
 * {@code <quarkus.application.name>.admin.token} (e.g. {@code cache-service.admin.token}); each service's
 * application.properties defaults it to {@code SLUICE_ADMIN_TOKEN} and, where a service had another key before, to
 * that key first (docs/architecture.md, common's {@code auth}).
 * Blank counts as none. Read on every call, so a test profile's value is the one seen.
 */
@ApplicationScoped
public class AdminToken {

    private final Config config;
    private final String key;

    public AdminToken(Config config) {
        this.config = config;
        this.key = keyFor(config.getOptionalValue("quarkus.application.name", String.class).orElse("sluice"));
    }

    /** {@code <service>.admin.token} */
    public static String keyFor(String service) {
        return service + ".admin.token";
    }

    public String key() {
        return key;
    }

    public Optional<String> token() {
        return config.getOptionalValue(key, String.class).filter(t -> !t.isBlank());
    }

    /** Common's rule ({@link BearerTokens#requireAdmin}) against this service's token. */
    public void require(String authorization) {
        BearerTokens.requireAdmin(authorization, token(), key);
    }
}
