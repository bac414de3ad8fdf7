package io.sluice.replicarouter.api;

import java.util.List;

/**
 * The body of POST /sql in Neon's SQL-over-HTTP format: either one statement ({@code query}, {@code params},
 * optional {@code arrayMode}) or a batch ({@code queries}) run as one transaction. Parameters are normally text
 * (the Neon driver sends strings); numbers and booleans are accepted and read as their text.
 */
public record SqlBody(String query, List<Object> params, Boolean arrayMode, List<SqlBody> queries) {
}
