package io.sluice.replicarouter.sql;

import java.util.OptionalLong;

import io.sluice.replicarouter.routing.Route;
import io.sluice.replicarouter.wire.SqlResponse;

/** A result, where it was computed, and for a write the primary's WAL position after it committed. */
public record Executed(SqlResponse response, Route route, OptionalLong commitLsn) {
}
