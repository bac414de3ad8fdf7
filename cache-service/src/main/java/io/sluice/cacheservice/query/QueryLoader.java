package io.sluice.cacheservice.query;

import com.fasterxml.jackson.databind.node.ArrayNode;

import io.smallrye.mutiny.Uni;

/** Runs a read-only query behind a miss: through replica-router when configured, else on the own pool. */
public interface QueryLoader {

    /** The rows, one JSON object per row keyed by column name; fails with {@link LoadFailure}. */
    Uni<ArrayNode> load(QuerySpec query);

    /** "router" or "pool" (a metric tag). */
    String source();
}
