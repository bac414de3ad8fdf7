package io.sluice.common.sql;

import java.util.Optional;

/**
 * Whether a statement may run on a read-only replica, why, and any routing hint found in its comments.
 * {@code command} is the statement's first keyword, upper-cased (SELECT, INSERT, WITH, ...).
 */
public record Classification(boolean readOnly, String command, String reason, Optional<RouteHint> hint) {

    /** A hint written in a SQL comment: {@code /* sluice:route=primary *}{@code /} or {@code replica}. */
    public enum RouteHint {
        PRIMARY, REPLICA
    }
}
