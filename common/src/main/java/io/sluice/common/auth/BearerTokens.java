package io.sluice.common.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.sluice.common.problem.CommonProblem;
import io.sluice.common.problem.ProblemException;

/**
 * The bearer-token rule every service applies to its admin (and client) endpoints: no token configured means the
 * endpoints are closed (403); a missing or wrong token is a 401 with a Bearer challenge. Tokens are compared in
 * constant time and never logged.
 */
public final class BearerTokens {

    private static final Map<String, String> CHALLENGE = Map.of("WWW-Authenticate", "Bearer realm=\"sluice\"");

    private BearerTokens() {
    }

    /**
     * @param configured the service's admin token, if one is set (blank counts as none)
     * @param key the config key that sets it, named in the 403
     */
    public static void requireAdmin(String authorization, Optional<String> configured, String key) {
        String admin = configured.filter(t -> !t.isBlank()).orElseThrow(() -> new ProblemException(
                CommonProblem.FORBIDDEN, "Admin endpoints are disabled: set " + key + " (or SLUICE_ADMIN_TOKEN)"));
        require(authorization, List.of(admin), "the admin token");
    }

    /** @param what what the caller must send, for the 401's detail ("a client token") */
    public static void require(String authorization, List<String> accepted, String what) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ProblemException(CommonProblem.UNAUTHORIZED, "Send Authorization: Bearer with " + what)
                    .withHeaders(CHALLENGE);
        }
        byte[] presented = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        boolean ok = false;
        for (String token : accepted) {
            ok |= MessageDigest.isEqual(presented, token.getBytes(StandardCharsets.UTF_8));
        }
        if (!ok) {
            throw new ProblemException(CommonProblem.UNAUTHORIZED, "The bearer token is not " + what)
                    .withHeaders(CHALLENGE);
        }
    }
}
