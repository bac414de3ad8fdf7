package io.sluice.replicarouter.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.sluice.common.requestid.RequestIds;
import io.sluice.replicarouter.config.RouterConfig;
import io.sluice.replicarouter.metrics.RouterMetrics;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;

/**
 * Sends executed statements to query-monitor in batches. The request path only offers a sample to a bounded
 * buffer and never waits: when the buffer is full the sample is dropped and counted. A scheduled flush sends it.
 */
@ApplicationScoped
public class QueryReporter {

    private static final Logger LOG = Logger.getLogger(QueryReporter.class);

    private final BlockingQueue<StatementSample> buffer;
    private final RouterConfig config;
    private final RouterMetrics metrics;
    private final WebClient http;

    public QueryReporter(RouterConfig config, RouterMetrics metrics, Vertx vertx) {
        this.config = config;
        this.metrics = metrics;
        this.buffer = new ArrayBlockingQueue<>(config.reporting().bufferSize());
        this.http = WebClient.create(vertx);
    }

    public boolean enabled() {
        return config.reporting().queryMonitorUrl().isPresent();
    }

    public void offer(StatementSample sample) {
        if (enabled() && !buffer.offer(sample)) {
            metrics.recordReports("dropped", 1);
        }
    }

    /**
     * Sends what is buffered: up to {@code max-in-flight} batches at once, again while full batches are waiting.
     * A failed batch is counted and dropped, never retried forever.
     */
    public Uni<Void> flush() {
        if (!enabled() || buffer.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int size = config.reporting().batchSize();
        List<Uni<Void>> sends = new ArrayList<>();
        for (int i = 0; i < config.reporting().maxInFlight() && !buffer.isEmpty(); i++) {
            List<StatementSample> batch = new ArrayList<>(size);
            buffer.drainTo(batch, size);
            sends.add(send(batch));
        }
        return Uni.join().all(sends).andCollectFailures().replaceWithVoid()
                .chain(() -> buffer.size() >= size ? flush() : Uni.createFrom().voidItem());
    }

    private Uni<Void> send(List<StatementSample> batch) {
        String url = config.reporting().queryMonitorUrl().get().replaceAll("/+$", "") + "/v1/queries/samples";
        return http.postAbs(url)
                .putHeader(RequestIds.HEADER, "sluice-router-report-" + System.nanoTime())
                .timeout(5000)
                .sendJsonObject(new JsonObject(Map.of("samples", batch)))
                .invoke(response -> {
                    if (response.statusCode() / 100 == 2) {
                        metrics.recordReports("sent", batch.size());
                    } else {
                        metrics.recordReports("failed", batch.size());
                        LOG.warnf("query-monitor refused %d samples: HTTP %d %s", batch.size(),
                                response.statusCode(), response.bodyAsString());
                    }
                })
                .replaceWithVoid()
                .onFailure().invoke(e -> {
                    metrics.recordReports("failed", batch.size());
                    LOG.warnf("could not report %d samples to query-monitor: %s", batch.size(), e.getMessage());
                })
                .onFailure().recoverWithNull();
    }
}
