package io.sluice.partitionmanager.conversion;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.sluice.common.problem.CommonProblem;
import io.sluice.common.problem.ProblemException;
import io.sluice.partitionmanager.api.ConversionRequest;
import io.sluice.partitionmanager.api.PartitionManagerProblem;
import io.sluice.partitionmanager.config.PartitionManagerConfig;
import io.sluice.partitionmanager.db.Catalog;
import io.sluice.partitionmanager.policy.ColumnType;
import io.sluice.partitionmanager.policy.SqlIdentifier;

/**
 * Starts, plans (dry run) and resumes online conversions. Starting creates the twin, its partitions, the change log
 * and the capture trigger in one transaction, then hands the copy to a background thread.
 */
@ApplicationScoped
public class ConversionService {

    private static final Logger LOG = Logger.getLogger(ConversionService.class);

    /** Partitions made ahead of today in the twin, like a set's default premake. */
    static final int PREMAKE = 4;

    private final DataSource dataSource;
    private final Catalog catalog;
    private final ConversionRepository repository;
    private final ConversionRunner runner;
    private final PartitionManagerConfig config;
    private final Clock clock;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "pm-conversion");
        t.setDaemon(true);
        return t;
    });
    private final Map<UUID, Future<?>> running = new ConcurrentHashMap<>();

    public ConversionService(DataSource dataSource, Catalog catalog, ConversionRepository repository,
            ConversionRunner runner, PartitionManagerConfig config, Clock clock) {
        this.dataSource = dataSource;
        this.catalog = catalog;
        this.repository = repository;
        this.runner = runner;
        this.config = config;
        this.clock = clock;
    }

    /** A started conversion, or for a dry run its DDL with nothing changed. */
    public record Started(Conversion conversion, List<String> ddl) {
    }

    public Started start(ConversionRequest r) throws SQLException {
        SqlIdentifier[] name = SqlIdentifier.qualified(r.table());
        var column = new SqlIdentifier(r.column());
        int batch = r.batchSize() == null ? config.conversion().batchSize() : r.batchSize();
        long throttle = r.throttleMs() == null ? config.conversion().throttle().toMillis() : r.throttleMs();
        try (Connection c = dataSource.getConnection()) {
            var table = catalog.table(c, name[0].name(), name[1].name())
                    .orElseThrow(() -> invalid("table " + name[0].name() + "." + name[1].name() + " does not exist"));
            if (table.partitioned()) {
                throw invalid(name[1].name() + " is already partitioned: declare a partition set instead");
            }
            String type = table.columnTypes().get(column.name());
            if (type == null) {
                throw invalid("column " + column.name() + " does not exist in " + name[1].name());
            }
            ColumnType columnType = ColumnType.fromCatalog(type)
                    .orElseThrow(() -> invalid("column " + column.name() + " is " + type + ", not a date or timestamp"));
            String key = primaryKey(c, table.oid());
            Conversion draft = new Conversion(UUID.randomUUID(), name[0].name(), name[1].name(), column.name(),
                    r.interval(), key, batch, Conversion.Phase.COPYING, null, 0, 0, 0, clock.instant(), null, null, null);
            var sql = new ConversionSql(draft, table.columnTypes().get(key), columnType);
            if (catalog.table(c, name[0].name(), sql.twinName()).isPresent()
                    || catalog.table(c, name[0].name(), sql.oldName()).isPresent()) {
                throw invalid(sql.twinName() + " or " + sql.oldName() + " already exists");
            }
            if (repository.activeOn(c, name[0].name(), name[1].name())) {
                throw new ProblemException(PartitionManagerProblem.MAINTENANCE_BUSY,
                        "a conversion of " + name[1].name() + " is already running");
            }
            LocalDate[] span = span(c, sql);
            List<String> ddl = new ArrayList<>(sql.createTwin(span[0], span[1]));
            ddl.addAll(sql.captureChanges());
            if (Boolean.TRUE.equals(r.dryRun())) {
                ddl.add("-- then: " + sql.copyBatch(false).replace('\n', ' ') + "  (repeated, " + batch + " rows each)");
                ddl.add("-- then, in one transaction: LOCK TABLE " + sql.table() + " IN SHARE ROW EXCLUSIVE MODE; "
                        + "replay; verify every range; " + String.join("; ", sql.swap()));
                return new Started(draft, ddl);
            }
            long total = count(c, "SELECT count(*) FROM " + sql.table());
            Conversion v = new Conversion(draft.id(), draft.schema(), draft.table(), draft.column(), draft.interval(),
                    key, batch, Conversion.Phase.COPYING, null, 0, total, 0, draft.startedAt(), null, null, null);
            c.setAutoCommit(false);
            try {
                try (var st = c.createStatement()) {
                    st.execute("SET LOCAL lock_timeout = " + config.ddl().lockTimeout().toMillis());
                    for (String statement : ddl) {
                        st.execute(statement);
                    }
                }
                repository.insert(c, v);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw new ProblemException(PartitionManagerProblem.DDL_FAILED, e.getMessage()).withCode(e.getSQLState());
            } finally {
                c.setAutoCommit(true);
            }
            submit(new ConversionSql(v, sql.keyType(), columnType), throttle);
            return new Started(v, ddl);
        }
    }

    /** Continues a conversion from its stored phase and last key. */
    public Conversion resume(UUID id, Integer throttleMs) throws SQLException {
        Conversion v = find(id);
        if (v.phase() == Conversion.Phase.DONE || v.phase() == Conversion.Phase.FAILED) {
            throw new ProblemException(PartitionManagerProblem.CONVERSION_INVALID, "conversion " + id + " is " + v.phase());
        }
        var f = running.get(id);
        if (f != null && !f.isDone()) {
            throw new ProblemException(PartitionManagerProblem.MAINTENANCE_BUSY, "conversion " + id + " is running");
        }
        submit(sqlOf(v), throttleMs == null ? config.conversion().throttle().toMillis() : throttleMs);
        return v;
    }

    public Conversion find(UUID id) throws SQLException {
        return repository.find(id).orElseThrow(() -> new ProblemException(CommonProblem.NOT_FOUND, "no conversion " + id));
    }

    /** The newest conversions first (finished ones too), at most {@code limit}. */
    public List<Conversion> recent(int limit) throws SQLException {
        return repository.recent(limit);
    }

    public boolean isRunning(UUID id) {
        var f = running.get(id);
        return f != null && !f.isDone();
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.conversion().resumeOnStart()) {
            return;
        }
        try {
            for (Conversion v : repository.unfinished()) {
                LOG.infof("Resuming conversion %s of %s.%s from %s", v.id(), v.schema(), v.table(), v.phase());
                submit(sqlOf(v), config.conversion().throttle().toMillis());
            }
        } catch (SQLException e) {
            LOG.errorf("Unfinished conversions not resumed: %s", e.getMessage());
        }
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    private void submit(ConversionSql sql, long throttleMs) {
        running.put(sql.conversion().id(), executor.submit(() -> runner.run(sql, throttleMs)));
    }

    private ConversionSql sqlOf(Conversion v) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            var table = catalog.table(c, v.schema(), v.table()).orElseThrow(
                    () -> invalid("table " + v.schema() + "." + v.table() + " no longer exists"));
            return new ConversionSql(v, table.columnTypes().get(v.keyColumn()),
                    ColumnType.fromCatalog(table.columnTypes().get(v.column())).orElseThrow());
        }
    }

    private static String primaryKey(Connection c, long oid) throws SQLException {
        try (var st = c.prepareStatement("""
                SELECT array_agg(a.attname) FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid
                AND a.attnum = ANY (i.indkey) WHERE i.indrelid = ? AND i.indisprimary""")) {
            st.setLong(1, oid);
            try (var rs = st.executeQuery()) {
                rs.next();
                var keys = rs.getArray(1);
                String[] names = keys == null ? new String[0] : (String[]) keys.getArray();
                if (names.length != 1) {
                    throw invalid("the table needs a single-column primary key (the copy walks it and the change log "
                            + "records it); it has " + names.length);
                }
                return names[0];
            }
        }
    }

    /** First and last day holding rows (UTC), widened to today and {@value #PREMAKE} intervals ahead. */
    private LocalDate[] span(Connection c, ConversionSql sql) throws SQLException {
        String day = sql.columnType() == ColumnType.TIMESTAMPTZ ? "(%s AT TIME ZONE 'UTC')::date" : "%s::date";
        String d = day.formatted(sql.column());
        LocalDate today = LocalDate.now(clock.withZone(java.time.ZoneOffset.UTC));
        try (var st = c.createStatement(); var rs = st.executeQuery(
                "SELECT min(%s), max(%s), bool_or(%s IS NULL) FROM %s".formatted(d, d, sql.column(), sql.table()))) {
            rs.next();
            if (rs.getBoolean(3)) {
                throw invalid("column " + sql.conversion().column() + " has NULLs: they fit no range partition");
            }
            LocalDate min = rs.getDate(1) == null ? today : rs.getDate(1).toLocalDate();
            LocalDate max = rs.getDate(2) == null ? today : rs.getDate(2).toLocalDate();
            LocalDate last = max.isAfter(today) ? max : today;
            for (int i = 0; i < PREMAKE; i++) {
                last = sql.conversion().interval().next(last);
            }
            return new LocalDate[] { min.isBefore(today) ? min : today, last };
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(PartitionManagerProblem.CONVERSION_INVALID, detail);
    }
}
