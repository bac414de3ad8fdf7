package io.sluice.partitionmanager.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.sluice.partitionmanager.config.PartitionManagerConfig;
import io.sluice.partitionmanager.metrics.PartitionManagerMetrics;

/**
 * Runs DDL one statement at a time under {@code lock_timeout}: a statement that cannot get its lock in time gives
 * up (so the application's queries do not queue behind it) and is retried after a jittered backoff.
 * Runs on worker threads only (JDBC).
 */
@ApplicationScoped
public class DdlRunner {

    /** SQLSTATE lock_not_available: lock_timeout expired. */
    static final String LOCK_NOT_AVAILABLE = "55P03";

    private static final Logger LOG = Logger.getLogger(DdlRunner.class);

    private final PartitionManagerConfig config;
    private final PartitionManagerMetrics metrics;

    public DdlRunner(PartitionManagerConfig config, PartitionManagerMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    /** Runs {@code sql}, appends what happened to {@code log}; throws the last failure after the last attempt. */
    public void run(Connection c, String sql, List<ExecutedStatement> log) throws SQLException {
        long started = System.nanoTime();
        int attempts = config.ddl().attempts();
        for (int attempt = 1;; attempt++) {
            try (var st = c.createStatement()) {
                st.execute("SET lock_timeout = " + config.ddl().lockTimeout().toMillis());
                st.execute(sql);
                log.add(new ExecutedStatement(sql, elapsedMs(started), attempt, null));
                metrics.recordDdl("ok");
                return;
            } catch (SQLException e) {
                boolean lockTimeout = LOCK_NOT_AVAILABLE.equals(e.getSQLState());
                if (!lockTimeout || attempt >= attempts) {
                    log.add(new ExecutedStatement(sql, elapsedMs(started), attempt, e.getSQLState() + ": " + e.getMessage()));
                    metrics.recordDdl(lockTimeout ? "lock_timeout" : "error");
                    throw e;
                }
                metrics.recordDdl("retried");
                long base = config.ddl().backoff().toMillis();
                long wait = ThreadLocalRandom.current().nextLong(base, 2 * base * attempt + 1);
                LOG.infof("lock_timeout on attempt %d, retrying in %d ms: %s", attempt, wait, sql);
                sleep(wait);
            }
        }
    }

    private static long elapsedMs(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
