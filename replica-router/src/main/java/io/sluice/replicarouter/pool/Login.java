package io.sluice.replicarouter.pool;

import java.util.Optional;

/**
 * A database and role requests may use, with pools of their own on every node: the router's own (from the node
 * URLs and credentials), or one an operator allowed and a request selected with Neon-Connection-String.
 */
public record Login(String name, String database, String username, Optional<String> password) {

    public static final String DEFAULT = "default";

    public boolean isDefault() {
        return DEFAULT.equals(name);
    }
}
