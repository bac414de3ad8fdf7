package io.sluice.cacheservice.entry;

import java.util.regex.Pattern;

import io.sluice.common.problem.CommonProblem;
import io.sluice.common.problem.ProblemException;

/**
 * A validated (namespace, key) pair and its Redis key. The {hash tag} is the key, not the namespace, so one hot
 * namespace spreads over a Redis Cluster.
 */
public record CacheKey(String namespace, String key) {

    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    private static final int MAX_KEY_LENGTH = 512;

    public CacheKey {
        if (!NAMESPACE.matcher(namespace).matches()) {
            throw new ProblemException(CommonProblem.VALIDATION_FAILED,
                    "namespace must match " + NAMESPACE.pattern());
        }
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH || key.indexOf('}') >= 0 || key.indexOf('{') >= 0) {
            throw new ProblemException(CommonProblem.VALIDATION_FAILED,
                    "key must be 1 to " + MAX_KEY_LENGTH + " characters without { or }");
        }
    }

    public String redisKey() {
        return "sluice:cacheservice:" + namespace + ":{" + key + "}";
    }
}
