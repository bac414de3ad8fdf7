package io.sluice.replicarouter.pool;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.replicarouter.config.RouterConfig;
import io.sluice.replicarouter.node.ControlConnections;
import io.sluice.replicarouter.node.Node;
import io.sluice.replicarouter.node.NodeRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;

/**
 * Builds the pool report: use, waiters, acquire/hold percentiles, a fresh connection's creation time, the
 * server's connection limit, a Little's-law size recommendation and suspected leaks.
 */
@ApplicationScoped
public class PoolReporter {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    private static final String SERVER_LIMIT = """
            SELECT current_setting('max_connections')::int
                 - current_setting('superuser_reserved_connections')::int""";

    private final NodeRegistry nodes;
    private final RouterConfig config;
    private final Clock clock;
    private final Vertx vertx;

    private final ControlConnections control;

    public PoolReporter(NodeRegistry nodes, RouterConfig config, Clock clock, Vertx vertx,
            ControlConnections control) {
        this.control = control;
        this.nodes = nodes;
        this.config = config;
        this.clock = clock;
        this.vertx = vertx;
    }

    public Uni<List<PoolReport>> report() {
        return Uni.join().all(nodes.all().stream().map(this::report).toList()).andFailFast();
    }

    private Uni<PoolReport> report(Node node) {
        Uni<Integer> serverLimit = control.query(node, SERVER_LIMIT)
                .map(rows -> rows.iterator().next().getInteger(0))
                .ifNoItem().after(PROBE_TIMEOUT).fail()
                .onFailure().recoverWithItem((Integer) null);
        Uni<Double> connectMs = Uni.createFrom().item(System::nanoTime)
                .chain(started -> PgConnection.connect(vertx, nodes.connectOptions(node))
                        .call(conn -> conn.close())
                        .map(conn -> (System.nanoTime() - started) / 1e6))
                .ifNoItem().after(PROBE_TIMEOUT).fail()
                .onFailure().recoverWithItem((Double) null);
        return Uni.combine().all().unis(serverLimit, connectMs).asTuple()
                .map(t -> build(node, t.getItem1(), t.getItem2()));
    }

    private PoolReport build(Node node, Integer serverLimit, Double connectMs) {
        PoolStats s = node.stats();
        int inUse = s.inUse();
        int max = node.maxSize();
        double[] load = s.recentLoad();
        int perInstance = serverLimit == null ? -1 : serverLimit / config.pool().routerInstances();
        List<PoolReport.SuspectedLeak> leaks = s.heldLongerThan(config.pool().leakThreshold()).stream()
                .map(l -> new PoolReport.SuspectedLeak(l.requestId(),
                        Duration.between(l.since(), clock.instant()).toMillis() / 1000.0, l.since().toString()))
                .toList();
        return new PoolReport(node.name(), node.role().name().toLowerCase(), max, inUse, Math.max(0, max - inUse),
                s.waitingNow(), max == 0 ? 0 : (double) inUse / max, percentiles(s.acquireTimes()),
                percentiles(s.holdTimes()), connectMs, load[0], serverLimit,
                PoolSizer.recommend(load[0], load[1], max, perInstance), leaks);
    }

    private static PoolReport.Percentiles percentiles(LatencyWindow w) {
        return new PoolReport.Percentiles(w.percentileMillis(0.5), w.percentileMillis(0.95), w.percentileMillis(0.99));
    }
}
