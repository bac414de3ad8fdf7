package io.sluice.partitionmanager.archive;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.sluice.common.problem.CommonProblem;
import io.sluice.common.problem.ProblemException;
import io.sluice.partitionmanager.PartitionManagerProblem;
import io.sluice.partitionmanager.config.PartitionManagerConfig;
import io.sluice.partitionmanager.db.Catalog;
import io.sluice.partitionmanager.metrics.PartitionManagerMetrics;
import io.sluice.partitionmanager.policy.SqlIdentifier;

/**
 * Restores an archive, after checking the file against its manifest, into its original parent (the partition is
 * recreated and attached with its old bounds) or into a new table. One transaction: the restored rows are counted
 * and fingerprinted before commit, and a mismatch rolls everything back.
 */
@ApplicationScoped
public class RestoreService {

    private static final Logger LOG = Logger.getLogger(RestoreService.class);

    private final ArchiveRepository repository;
    private final ArchiveService archives;
    private final Catalog catalog;
    private final DataSource dataSource;
    private final PartitionManagerConfig config;
    private final PartitionManagerMetrics metrics;

    public RestoreService(ArchiveRepository repository, ArchiveService archives, Catalog catalog, DataSource dataSource,
            PartitionManagerConfig config, PartitionManagerMetrics metrics) {
        this.repository = repository;
        this.archives = archives;
        this.catalog = catalog;
        this.dataSource = dataSource;
        this.config = config;
        this.metrics = metrics;
    }

    public Restored restore(UUID id, RestoreTarget into) throws SQLException, IOException {
        ArchiveManifest m = repository.find(id).orElseThrow(
                () -> new ProblemException(CommonProblem.NOT_FOUND, "no archive " + id));
        boolean intoOriginal = into.original();
        SqlIdentifier[] target = intoOriginal ? null : SqlIdentifier.qualified(into.table());
        archives.verify(m);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (var st = c.createStatement()) {
                st.execute("SET LOCAL lock_timeout = " + config.ddl().lockTimeout().toMillis());
            }
            try {
                String table = intoOriginal ? recreatePartition(c, m) : createTable(c, m, target);
                long rows = archives.load(c, m, table);
                repository.markRestored(c, id);
                c.commit();
                metrics.recordArchive("restored");
                LOG.infof("Restored archive %s (%d rows) into %s", id, rows, table);
                return new Restored(id, table, rows, m.contentDigest(), true);
            } catch (SQLException | IOException | RuntimeException e) {
                c.rollback();
                if (e instanceof SQLException sql) {
                    throw new ProblemException(PartitionManagerProblem.DDL_FAILED, sql.getMessage()).withCode(sql.getSQLState());
                }
                throw e;
            }
        }
    }

    private String recreatePartition(Connection c, ArchiveManifest m) throws SQLException {
        var parent = catalog.table(c, m.schema(), m.table());
        if (parent.isEmpty() || !parent.get().partitioned()) {
            throw new ProblemException(PartitionManagerProblem.ARCHIVE_INVALID, m.schema() + "." + m.table()
                    + " is no longer a partitioned table: restore into a separate table instead");
        }
        if (catalog.table(c, m.schema(), m.partition()).isPresent()) {
            throw new ProblemException(PartitionManagerProblem.ARCHIVE_INVALID,
                    "a table named " + m.partition() + " already exists");
        }
        String partition = SqlIdentifier.quote(m.schema()) + "." + SqlIdentifier.quote(m.partition());
        try (var st = c.createStatement()) {
            st.execute("CREATE TABLE %s PARTITION OF %s.%s FOR VALUES FROM (%s) TO (%s)".formatted(partition,
                    SqlIdentifier.quote(m.schema()), SqlIdentifier.quote(m.table()), literal(m.from()), literal(m.to())));
        }
        return partition;
    }

    private String createTable(Connection c, ArchiveManifest m, SqlIdentifier[] target) throws SQLException {
        if (catalog.table(c, target[0].name(), target[1].name()).isPresent()) {
            throw new ProblemException(PartitionManagerProblem.ARCHIVE_INVALID,
                    "table " + target[0].name() + "." + target[1].name() + " already exists");
        }
        String name = target[0].quoted() + "." + target[1].quoted();
        // Types come from the manifest, which this service wrote from format_type() of the archived partition.
        String columns = m.columns().stream().map(col -> SqlIdentifier.quote(col.name()) + " " + col.type())
                .collect(Collectors.joining(", "));
        try (var st = c.createStatement()) {
            st.execute("CREATE TABLE %s (%s)".formatted(name, columns));
        }
        return name;
    }

    private static String literal(String bound) {
        return "'" + bound.replace("'", "''") + "'";
    }
}
