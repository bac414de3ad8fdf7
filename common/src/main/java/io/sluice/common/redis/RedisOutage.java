package io.sluice.common.redis;

import java.util.Set;
import java.util.concurrent.CompletionException;

import io.sluice.common.problem.ProblemException;
import io.sluice.common.problem.ProblemType;
import io.smallrye.mutiny.Uni;
import io.vertx.redis.client.Response;

/**
 * Tells a failed Redis command that Redis answered (an error reply about the command: NOGROUP, BUSYGROUP,
 * WRONGTYPE, NOSCRIPT...) from one that means Redis, or the way to it, is unavailable. The Vert.x client reports
 * both as a {@link Response} error when it makes some of them up itself: a command pending on a connection that
 * closes fails with {@code CONNECTION_CLOSED}, which is an outage although it looks like a reply. Cluster and
 * replication states that only last until a failover ends (CLUSTERDOWN, TRYAGAIN, LOADING, MASTERDOWN, READONLY)
 * and a server stuck in a script (BUSY) are outages too.
 */
public final class RedisOutage {

    private static final Set<String> UNAVAILABLE = Set.of("CONNECTION_CLOSED", "ILLEGAL_STATE", "CLUSTERDOWN",
            "TRYAGAIN", "LOADING", "MASTERDOWN", "READONLY", "BUSY", "NOREPLICAS");

    private RedisOutage() {
    }

    /** True when the failure means Redis did not (or could not) answer the command. */
    public static boolean isOutage(Throwable failure) {
        return !isErrorReply(failure);
    }

    /** True when Redis answered the command with an error about the command itself: Redis is up. */
    public static boolean isErrorReply(Throwable failure) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        return t instanceof Response && !UNAVAILABLE.contains(kind(t.getMessage()));
    }

    /**
     * For a {@code Uni} of Redis commands only: an outage becomes the service's documented 503 problem instead of
     * reaching the HTTP edge as a 500; error replies and problems pass unchanged.
     */
    public static <T> Uni<T> asProblem(Uni<T> redisCommands, ProblemType unavailable) {
        return redisCommands.onFailure(e -> isOutage(e) && !(e instanceof ProblemException))
                .transform(e -> new ProblemException(unavailable, "Redis did not answer; try again once it is back", e));
    }

    private static String kind(String message) {
        if (message == null) {
            return "";
        }
        int space = message.indexOf(' ');
        return space < 0 ? message : message.substring(0, space);
    }
}
