package io.sluice.replicarouter.node;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.common.sql.Lsn;
import io.sluice.replicarouter.config.RouterConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;

/** Asks one node, within the probe timeout, whether it is in recovery and where its WAL stands. */
@ApplicationScoped
public class NodeProber {

    private static final String PROBE = """
            SELECT pg_is_in_recovery() AS recovery,
                   (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()
                         ELSE pg_current_wal_lsn() END)::text AS lsn,
                   COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp()), 0)::float8
                     AS since_replay,
                   (SELECT system_identifier FROM pg_control_system())::text || '@'
                     || pg_postmaster_start_time()::text AS server""";

    private final RouterConfig config;
    private final ControlConnections control;

    public NodeProber(RouterConfig config, ControlConnections control) {
        this.config = config;
        this.control = control;
    }

    /** On the node's control connection: a probe never waits behind client traffic for a pooled connection. */
    public Uni<Observation> probe(Node node) {
        return control.query(node, PROBE)
                .map(rows -> toObservation(rows.iterator().next()))
                .ifNoItem().after(config.health().timeout()).failWith(() -> new ProbeTimeout(node.name()))
                .onFailure().recoverWithItem(e -> Observation.failed(describe(e)));
    }

    private static Observation toObservation(Row row) {
        String lsn = row.getString("lsn");
        return new Observation(true, row.getBoolean("recovery"), lsn == null ? 0 : Lsn.parse(lsn),
                row.getDouble("since_replay"), row.getString("server"), null);
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** A probe that did not answer in time. */
    static final class ProbeTimeout extends RuntimeException {
        ProbeTimeout(String node) {
            super("probe of " + node + " timed out", null, false, false);
        }
    }
}
