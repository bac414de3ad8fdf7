package io.sluice.replicarouter.routing;

import java.util.Optional;
import java.util.OptionalLong;

import io.sluice.common.sql.Classification.RouteHint;

/**
 * What the client asked for beyond the SQL: a Sluice-Route override, and the WAL position a replica must have
 * replayed to serve this read (from Sluice-Min-Lsn or the client's Sluice-Session).
 */
public record RouteHints(Optional<RouteHint> route, OptionalLong minLsn) {

    public static final RouteHints NONE = new RouteHints(Optional.empty(), OptionalLong.empty());

    public RouteHints withMinLsn(long lsn) {
        long merged = minLsn.isPresent() ? Math.max(minLsn.getAsLong(), lsn) : lsn;
        return new RouteHints(route, OptionalLong.of(merged));
    }
}
