package io.sluice.cacheservice.entry;

import java.util.regex.Pattern;

import io.sluice.common.problem.CommonProblem;
import io.sluice.common.problem.ProblemException;

/**
 * A validated (namespace, key) pair and its Redis keys. The {hash tag} is the key, not the namespace, so one hot
 * namespace spreads over a Redis Cluster, while an entry and its lease share a slot (one script touches both).
 */
public record CacheKey(String namespace, String key) {

    public static final String PREFIX = "sluice:cacheservice:e:";
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    public static final int MAX_KEY_LENGTH = 512;
    /** Control and format characters (NUL, newline, bidi overrides) and what invalid UTF-8 decodes to. */
    private static final Pattern BAD_KEY_CHARACTER = Pattern.compile("[\\p{Cc}\\p{Cf}\\x{FFFD}]");

    public CacheKey {
        validateNamespace(namespace);
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH || key.indexOf('}') >= 0
                || key.indexOf('{') >= 0 || BAD_KEY_CHARACTER.matcher(key).find()) {
            throw new ProblemException(CommonProblem.VALIDATION_FAILED, "key must be 1 to " + MAX_KEY_LENGTH
                    + " characters without { or }, control characters or invalid UTF-8");
        }
    }

    public static String validateNamespace(String namespace) {
        if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
            throw new ProblemException(CommonProblem.VALIDATION_FAILED,
                    "namespace must match " + NAMESPACE.pattern());
        }
        return namespace;
    }

    public String redisKey() {
        return namespacePrefix(namespace) + "{" + key + "}";
    }

    public String leaseKey() {
        return redisKey() + ":lease";
    }

    /** Every entry key of a namespace starts with this (used by the background sweep after a flush). */
    public static String namespacePrefix(String namespace) {
        return PREFIX + namespace + ":";
    }

    /** The local identity (near cache, in-flight loads). */
    public String id() {
        return namespace + "/" + key;
    }
}
