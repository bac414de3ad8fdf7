package io.sluice.partitionmanager.sets;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.Period;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.common.problem.ProblemException;
import io.sluice.partitionmanager.PartitionManagerProblem;
import io.sluice.partitionmanager.archive.ArchiveService;
import io.sluice.partitionmanager.config.PartitionManagerConfig;
import io.sluice.partitionmanager.db.Catalog;
import io.sluice.partitionmanager.maintenance.MaintenanceService;
import io.sluice.partitionmanager.maintenance.RunRecord;
import io.sluice.partitionmanager.maintenance.Step;
import io.sluice.partitionmanager.policy.ArchiveTarget;
import io.sluice.partitionmanager.policy.ColumnType;
import io.sluice.partitionmanager.policy.PartitionSet;
import io.sluice.partitionmanager.policy.Retention;
import io.sluice.partitionmanager.policy.RetentionMode;
import io.sluice.partitionmanager.policy.SqlIdentifier;

/**
 * Declares a set: validates it against the catalog, creates the partitioned parent when asked, stores the definition
 * (both in one transaction, so nothing is half-written) and runs its first maintenance. A dry run returns the DDL.
 */
@ApplicationScoped
public class PartitionSetService {

    /** A type name as written in DDL: words, an optional (p) or (p,s), optional []. Also checked by to_regtype. */
    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_ ]{0,62}(\\(\\d{1,4}(,\\s?\\d{1,4})?\\))?(\\[\\])?");

    private final DataSource dataSource;
    private final Catalog catalog;
    private final PartitionSetRepository repository;
    private final MaintenanceService maintenance;
    private final ArchiveService archives;
    private final PartitionManagerConfig config;

    public PartitionSetService(DataSource dataSource, Catalog catalog, PartitionSetRepository repository,
            MaintenanceService maintenance, ArchiveService archives, PartitionManagerConfig config) {
        this.dataSource = dataSource;
        this.catalog = catalog;
        this.repository = repository;
        this.maintenance = maintenance;
        this.archives = archives;
        this.config = config;
    }

    public PutResult put(String qualified, PartitionSetSpec request, boolean dryRun) throws SQLException {
        SqlIdentifier[] name = SqlIdentifier.qualified(qualified);
        PartitionSet set = toSet(name[0], name[1], request);
        List<String> ddl = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            Optional<String> createParent = checkTable(c, set, request);
            createParent.ifPresent(ddl::add);
            List<Step> steps = createParent.isPresent()
                    ? maintenance.planNew(set, partitionColumnType(c, set, request))
                    : maintenance.plan(c, set);
            if (dryRun) {
                steps.forEach(step -> ddl.add(step.sql()));
                return new PutResult(set, true, ddl, null, null);
            }
            c.setAutoCommit(false);
            try {
                if (createParent.isPresent()) {
                    try (var st = c.createStatement()) {
                        st.execute(createParent.get());
                    }
                }
                repository.save(c, set);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw new ProblemException(PartitionManagerProblem.DDL_FAILED, e.getMessage()).withCode(e.getSQLState());
            } finally {
                c.setAutoCommit(true);
            }
        }
        try {
            RunRecord run = maintenance.runOne(set, "put");
            run.statements().forEach(s -> ddl.add(s.sql()));
            return new PutResult(set, false, ddl, run, null);
        } catch (ProblemException busy) {
            return new PutResult(set, false, ddl, null,
                    "stored; maintenance is running elsewhere, the next run makes the partitions");
        }
    }

    private PartitionSet toSet(SqlIdentifier schema, SqlIdentifier table, PartitionSetSpec r) {
        var column = new SqlIdentifier(r.column());
        ZoneId zone;
        try {
            zone = ZoneId.of(r.timezoneOrUtc());
        } catch (DateTimeException e) {
            throw invalid("timezone '" + r.timezoneOrUtc() + "' is not a time zone id (such as UTC or Europe/Paris)");
        }
        Optional<Retention> retention = Optional.empty();
        if (r.retention() != null) {
            Period keep;
            try {
                keep = Period.parse(r.retention().keep());
            } catch (DateTimeParseException e) {
                throw invalid("retention.keep '" + r.retention().keep() + "' is not an ISO-8601 period such as P24M");
            }
            if (!r.interval().isCoveredBy(keep)) {
                throw invalid("retention.keep " + keep + " is shorter than one " + r.interval().name().toLowerCase()
                        + " interval: it would drop the partition being written");
            }
            retention = Optional.of(new Retention(keep, r.retention().mode()));
        }
        Optional<ArchiveTarget> archive = Optional.empty();
        if (r.archive() != null || retention.map(x -> x.mode() == RetentionMode.ARCHIVE).orElse(false)) {
            String store = r.archive() == null || r.archive().store() == null ? "file" : r.archive().store();
            String path = r.archive() == null || r.archive().path() == null ? config.archive().path() : r.archive().path();
            if (!archives.hasStore(store)) {
                throw invalid("archive.store '" + store + "' is not available (this instance has: file)");
            }
            if (!Path.of(path).isAbsolute() || path.contains("..")) {
                throw invalid("archive.path must be an absolute directory without '..'");
            }
            archive = Optional.of(new ArchiveTarget(store, path));
        }
        return new PartitionSet(schema, table, column, r.interval(), r.premakeOrDefault(), retention, archive, zone);
    }

    /** Empty when the table exists and fits; the CREATE TABLE of the parent when it must be created. */
    private Optional<String> checkTable(Connection c, PartitionSet set, PartitionSetSpec r) throws SQLException {
        var table = catalog.table(c, set.schema().name(), set.table().name());
        if (table.isEmpty()) {
            if (r.columns() == null || r.columns().isEmpty()) {
                throw invalid("table " + set.qualifiedName() + " does not exist; give 'columns' to create it");
            }
            return Optional.of(createParent(c, set, r));
        }
        if (r.columns() != null) {
            throw invalid("table " + set.qualifiedName() + " already exists; leave out 'columns'");
        }
        var info = table.get();
        if (!info.partitioned()) {
            throw invalid(set.qualifiedName() + " is not partitioned; convert it online with POST /v1/conversions");
        }
        if (!"r".equals(info.strategy()) || !info.partitionColumns().equals(List.of(set.column().name()))) {
            throw invalid(set.qualifiedName() + " is partitioned by " + info.partitionColumns()
                    + ", not by range on " + set.column().name());
        }
        String type = info.columnTypes().get(set.column().name());
        if (type == null) {
            throw invalid("column " + set.column().name() + " does not exist in " + set.qualifiedName());
        }
        if (ColumnType.fromCatalog(type).isEmpty()) {
            throw invalid("column " + set.column().name() + " is " + type + ", not a date or timestamp");
        }
        return Optional.empty();
    }

    private String createParent(Connection c, PartitionSet set, PartitionSetSpec r) throws SQLException {
        List<String> definitions = new ArrayList<>();
        for (var col : r.columns()) {
            var name = new SqlIdentifier(col.name());
            String type = col.type().trim().toLowerCase();
            if (!TYPE.matcher(type).matches() || regtype(c, type) == null) {
                throw invalid("column " + name.name() + ": '" + col.type() + "' is not a known type");
            }
            boolean notNull = Boolean.FALSE.equals(col.nullable()) || name.equals(set.column());
            definitions.add(name.quoted() + " " + type + (notNull ? " NOT NULL" : ""));
        }
        partitionColumnType(c, set, r);
        if (r.primaryKey() != null && !r.primaryKey().isEmpty()) {
            List<SqlIdentifier> key = r.primaryKey().stream().map(SqlIdentifier::new).toList();
            if (!key.contains(set.column())) {
                throw invalid("primaryKey must include the partition column " + set.column().name()
                        + " (PostgreSQL requires it on a partitioned table)");
            }
            for (SqlIdentifier k : key) {
                if (r.columns().stream().noneMatch(col -> col.name().equals(k.name()))) {
                    throw invalid("primaryKey column " + k.name() + " is not in 'columns'");
                }
            }
            definitions.add("PRIMARY KEY (" + key.stream().map(SqlIdentifier::quoted).collect(Collectors.joining(", ")) + ")");
        }
        return "CREATE TABLE %s (%s) PARTITION BY RANGE (%s)".formatted(set.quotedParent(),
                String.join(", ", definitions), set.column().quoted());
    }

    private ColumnType partitionColumnType(Connection c, PartitionSet set, PartitionSetSpec r) throws SQLException {
        var column = r.columns().stream().filter(col -> col.name().equals(set.column().name())).findFirst()
                .orElseThrow(() -> invalid("'columns' does not contain the partition column " + set.column().name()));
        String canonical = regtype(c, column.type().trim().toLowerCase());
        return ColumnType.fromCatalog(canonical == null ? "" : canonical).orElseThrow(
                () -> invalid("column " + set.column().name() + " is " + column.type() + ", not a date or timestamp"));
    }

    private static String regtype(Connection c, String type) throws SQLException {
        try (var st = c.prepareStatement("SELECT format_type(to_regtype(?), NULL)")) {
            st.setString(1, type);
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        } catch (SQLException e) {
            return null;
        }
    }

    static ProblemException invalid(String detail) {
        return new ProblemException(PartitionManagerProblem.INVALID_PARTITION_SET, detail);
    }
}
