package io.sluice.replicarouter.pool;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.common.problem.CommonProblem;
import io.sluice.common.problem.ProblemException;
import io.sluice.replicarouter.ReplicaRouterProblem;
import io.sluice.replicarouter.config.RouterConfig;
import io.vertx.pgclient.PgConnectOptions;

/**
 * Which login a request uses. Without Neon-Connection-String (or with one naming the router's own database and
 * user) it is the router's own; otherwise the database and user in the connection string must be one of
 * {@code replica-router.logins}, and its password that login's. An unknown or refused one is a 403, never the
 * default database.
 */
@ApplicationScoped
public class Logins {

    private final Login defaults;
    private final List<Login> allowed = new ArrayList<>();

    public Logins(RouterConfig config) {
        var first = config.nodes().values().iterator().next();
        String database = PgConnectOptions.fromUri(first.url()).getDatabase();
        this.defaults = new Login(Login.DEFAULT, database, first.username(), first.password());
        config.logins().forEach((name, l) -> allowed.add(new Login(name, l.database(), l.username(), l.password())));
    }

    public Login defaults() {
        return defaults;
    }

    /** @param connectionString the Neon-Connection-String header, or null */
    public Login select(String connectionString) {
        if (connectionString == null || connectionString.isBlank()) {
            return defaults;
        }
        Parsed parsed = parse(connectionString.trim());
        List<Login> candidates = new ArrayList<>(allowed);
        candidates.add(0, defaults);
        for (Login login : candidates) {
            if (login.database().equals(parsed.database()) && login.username().equals(parsed.user())) {
                if (login.password().isPresent() && !sameSecret(login.password().get(), parsed.password())) {
                    break;
                }
                return login;
            }
        }
        throw new ProblemException(ReplicaRouterProblem.CONNECTION_NOT_ALLOWED, "Database '" + parsed.database()
                + "' as user '" + parsed.user() + "' is not allowed on this router with these credentials; "
                + "the allowed databases and users are configured in replica-router.logins");
    }

    private record Parsed(String user, String password, String database) {
    }

    private static Parsed parse(String value) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme();
            String userInfo = uri.getRawUserInfo();
            String path = uri.getRawPath();
            if (!("postgresql".equals(scheme) || "postgres".equals(scheme)) || userInfo == null || path == null
                    || path.length() < 2) {
                throw malformed();
            }
            int colon = userInfo.indexOf(':');
            String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            String password = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
            String database = decode(path.substring(1));
            if (user.isEmpty() || database.isEmpty() || database.contains("/")) {
                throw malformed();
            }
            return new Parsed(user, password, database);
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw malformed();
        }
    }

    private static String decode(String part) {
        return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static ProblemException malformed() {
        return new ProblemException(CommonProblem.VALIDATION_FAILED,
                "Neon-Connection-String must look like postgresql://user:password@host/database");
    }

    private static boolean sameSecret(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                (given == null ? "" : given).getBytes(StandardCharsets.UTF_8));
    }

    /** Every allowed login, the router's own first. */
    public List<Login> all() {
        List<Login> all = new ArrayList<>(allowed);
        all.add(0, defaults);
        return all;
    }
}
