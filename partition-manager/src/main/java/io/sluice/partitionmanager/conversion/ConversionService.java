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
import io.sluice.common.problem.FieldError;
import io.sluice.common.problem.ProblemException;
import io.sluice.partitionmanager.PartitionManagerProblem;
import io.sluice.partitionmanager.config.PartitionManagerConfig;
import io.sluice.partitionmanager.conversion.shape.ShapeReader;
import io.sluice.partitionmanager.conversion.shape.Unsupported;
import io.sluice.partitionmanager.db.Catalog;
import io.sluice.partitionmanager.db.QualifiedName;
import io.sluice.partitionmanager.policy.ColumnType;

/**
 * Starts, plans (dry run) and resumes online conversions. Starting checks what blocks the conversion and what the
 * caller must accept, then creates the twin, its partitions, its primary key, the change log and the capture trigger
 * in one transaction, and hands the rest to a background thread.
 */
@ApplicationScoped
public class ConversionService {

    private static final Logger LOG = Logger.getLogger(ConversionService.class);

    private final DataSource dataSource;
    private final Catalog catalog;
    private final ShapeReader reader;
    private final ConversionPreparation preparation;
    private final ConversionRepository repository;
    private final ConversionRunner runner;
    private final ConversionChecks checks;
    private final PartitionManagerConfig config;
    private final Clock clock;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "pm-conversion");
        t.setDaemon(true);
        return t;
    });
    private final Map<UUID, Future<?>> running = new ConcurrentHashMap<>();

    public ConversionService(DataSource dataSource, Catalog catalog, ShapeReader reader,
            ConversionPreparation preparation, ConversionRepository repository, ConversionRunner runner,
            ConversionChecks checks, PartitionManagerConfig config, Clock clock) {
        this.dataSource = dataSource;
        this.catalog = catalog;
        this.reader = reader;
        this.preparation = preparation;
        this.repository = repository;
        this.runner = runner;
        this.checks = checks;
        this.config = config;
        this.clock = clock;
    }

    /** A started conversion, or for a dry run its statements with nothing changed; what it cannot carry either way. */
    public record Started(Conversion conversion, List<String> ddl, List<Unsupported> unsupported) {
    }

    public Started start(ConversionSpec r) throws SQLException {
        QualifiedName name = QualifiedName.parse(r.table());
        String column = QualifiedName.checkName(r.column());
        int batch = r.batchSize() == null ? config.conversion().batchSize() : r.batchSize();
        int throttle = r.throttleMs() == null ? (int) config.conversion().throttle().toMillis() : r.throttleMs();
        List<String> accepted = r.accept() == null ? List.of() : List.copyOf(r.accept());
        try (Connection c = dataSource.getConnection()) {
            var table = catalog.table(c, name.schema(), name.name())
                    .orElseThrow(() -> invalid("table " + name + " does not exist"));
            if (table.partitioned()) {
                throw invalid(name.name() + " is already partitioned: declare a partition set instead");
            }
            String type = table.columnTypes().get(column);
            if (type == null) {
                throw invalid("column " + column + " does not exist in " + name);
            }
            ColumnType.fromCatalog(type)
                    .orElseThrow(() -> invalid("column " + column + " is " + type + ", not a date or timestamp"));
            var shape = reader.read(c, table.oid());
            List<String> keyColumns = shape.primaryKey().map(i -> i.keyNames()).orElse(List.of());
            if (keyColumns.isEmpty()) {
                throw invalid("the table needs a primary key (the copy walks it and the change log records it)");
            }
            Conversion draft = new Conversion(UUID.randomUUID(), name.schema(), name.name(), column, r.interval(),
                    keyColumns, batch, throttle, Conversion.Phase.COPYING, List.of(), 0, 0, 0, accepted, null, null,
                    clock.instant(), null, null, null);
            var prepared = preparation.of(draft, shape);
            var sql = prepared.sql();
            var plan = prepared.plan();
            List<String> blockers = new ArrayList<>(plan.blockers());
            blockers.addAll(checks.blockers(c, sql, shape));
            LocalDate[] span = checks.span(c, sql, blockers);
            if (!blockers.isEmpty()) {
                throw new ProblemException(PartitionManagerProblem.CONVERSION_INVALID, "cannot convert " + name + ": "
                        + String.join("; ", blockers)).withErrors(blockers.stream()
                                .map(b -> new FieldError("table", b)).toList());
            }
            List<String> ids = plan.unsupported().stream().map(Unsupported::id).toList();
            List<String> unknown = accepted.stream().filter(a -> !ids.contains(a)).toList();
            if (!unknown.isEmpty()) {
                throw new ProblemException(CommonProblem.VALIDATION_FAILED, "accept names items this conversion does "
                        + "not have: " + unknown + " (a dry run lists them)").withErrors(unknown.stream()
                                .map(u -> new FieldError("accept", u + " is not an item of this conversion")).toList());
            }
            if (repository.activeOn(c, name.schema(), name.name())) {
                throw new ProblemException(PartitionManagerProblem.MAINTENANCE_BUSY,
                        "a conversion of " + name + " is already running");
            }
            List<String> ddl = new ArrayList<>(sql.createTwin(span[0], span[1]));
            ddl.add(plan.primaryKey());
            ddl.addAll(sql.captureChanges());
            if (r.dryRun()) {
                return new Started(draft, DryRun.statements(ddl, prepared, batch), plan.unsupported());
            }
            List<Unsupported> unaccepted = plan.unsupported().stream().filter(u -> !accepted.contains(u.id())).toList();
            if (!unaccepted.isEmpty()) {
                throw new ProblemException(PartitionManagerProblem.CONVERSION_NOT_ACCEPTED, name + " has "
                        + unaccepted.size() + " thing(s) the partitioned table cannot have as they are; accept each "
                        + "by id in \"accept\" to go ahead: " + String.join("; ", unaccepted.stream()
                                .map(u -> u.id() + " (" + u.reason() + ")").toList()))
                        .withErrors(unaccepted.stream().map(u -> new FieldError("accept", u.id() + ": " + u.reason()))
                                .toList());
            }
            long total = checks.count(c, sql);
            Conversion v = new Conversion(draft.id(), draft.schema(), draft.table(), column, r.interval(), keyColumns,
                    batch, throttle, Conversion.Phase.COPYING, List.of(), 0, total, 0, accepted, null, null,
                    draft.startedAt(), null, null, null);
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
            LOG.infof("Conversion %s of %s started (%d rows, key %s, accepted %s)", v.id(), name, total, keyColumns,
                    accepted);
            submit(v, throttle);
            return new Started(v, ddl, plan.unsupported());
        }
    }

    /** Continues a conversion from its stored phase and last key, at its stored throttle unless one is given. */
    public Conversion resume(UUID id, Integer throttleMs) throws SQLException {
        Conversion v = find(id);
        if (v.phase() == Conversion.Phase.DONE || v.phase() == Conversion.Phase.FAILED) {
            throw new ProblemException(PartitionManagerProblem.CONVERSION_INVALID, "conversion " + id + " is " + v.phase());
        }
        if (isRunning(id)) {
            throw new ProblemException(PartitionManagerProblem.MAINTENANCE_BUSY, "conversion " + id + " is running");
        }
        submit(v, throttleMs == null ? v.throttleMs() : throttleMs);
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
                LOG.infof("Resuming conversion %s of %s from %s", v.id(), v.qualifiedName(), v.phase());
                submit(v, v.throttleMs());
            }
        } catch (SQLException e) {
            LOG.errorf("Unfinished conversions not resumed: %s", e.getMessage());
        }
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    private void submit(Conversion v, long throttleMs) {
        running.put(v.id(), executor.submit(() -> runner.run(v, throttleMs)));
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(PartitionManagerProblem.CONVERSION_INVALID, detail);
    }
}
