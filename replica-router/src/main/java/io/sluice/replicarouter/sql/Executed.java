package io.sluice.replicarouter.sql;

import java.util.OptionalLong;

import io.sluice.replicarouter.routing.Route;

/** A result, where it was computed, and for a write the primary's WAL position after it committed. */
public record Executed<T>(T response, Route route, OptionalLong commitLsn) {
}
