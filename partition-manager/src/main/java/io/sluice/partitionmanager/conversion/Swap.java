package io.sluice.partitionmanager.conversion;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.sluice.partitionmanager.config.PartitionManagerConfig;
import io.sluice.partitionmanager.conversion.shape.CarryPlanner;
import io.sluice.partitionmanager.conversion.shape.ShapeReader;
import io.sluice.partitionmanager.conversion.shape.Signature;
import io.sluice.partitionmanager.conversion.shape.SwapStatements;
import io.sluice.partitionmanager.conversion.shape.TableShape;

/**
 * The swap: one short transaction that takes the table (and the tables whose foreign keys it re-points) in ACCESS
 * EXCLUSIVE mode under {@code conversion.swap-lock-timeout}, replays the tail of the change log, compares the rows of
 * the keys changed since the last verification, gives the twin the table's name and everything else of the table
 * (as the catalog has it at this moment), and compares the catalogs of old and new. A difference rolls it all back.
 * Taking the strongest lock at once (not upgrading a weaker one) is what keeps it free of deadlocks with
 * applications that read and then write.
 */
@ApplicationScoped
public class Swap {

    private static final Logger LOG = Logger.getLogger(Swap.class);

    /** The swap's outcome: the schema check and its figures. */
    public record Result(Conversion.Equivalence equivalence, Conversion.SwapFigures figures) {
    }

    /** The catalogs differ: thrown after the rollback, with the comparison. */
    static final class SchemaMismatch extends RuntimeException {
        final transient Conversion.Equivalence equivalence;

        SchemaMismatch(Conversion.Equivalence equivalence) {
            super("the new table's schema differs from the old one's: " + String.join("; ", equivalence.differences()),
                    null, false, false);
            this.equivalence = equivalence;
        }
    }

    private final ShapeReader reader;
    private final ChangeReplay replay;
    private final Verification verification;
    private final ConversionRepository repository;
    private final PartitionManagerConfig config;

    public Swap(ShapeReader reader, ChangeReplay replay, Verification verification, ConversionRepository repository,
            PartitionManagerConfig config) {
        this.reader = reader;
        this.replay = replay;
        this.verification = verification;
        this.repository = repository;
        this.config = config;
    }

    /**
     * One attempt. Throws the SQLException of a lock timeout (55P03) when writers held the table too long, a
     * {@link Mismatch} or {@link SchemaMismatch} when old and new differ (both rolled back).
     */
    public Result attempt(Connection c, ConversionSql sql, TableShape planned, ChangedKeys keys, int attempt)
            throws SQLException {
        Conversion v = sql.conversion();
        TreeSet<String> locked = new TreeSet<>();
        planned.incoming().forEach(k -> locked.add(k.table()));
        c.setAutoCommit(false);
        long requested = System.nanoTime();
        long granted = 0;
        try {
            exec(c, "SET LOCAL lock_timeout = " + config.conversion().swapLockTimeout().toMillis());
            exec(c, "LOCK TABLE " + sql.table() + (locked.isEmpty() ? "" : ", " + String.join(", ", locked))
                    + " IN ACCESS EXCLUSIVE MODE");
            granted = System.nanoTime();
            long tail = replay.drainIn(c, sql, keys);
            verification.keysIn(c, sql, keys);

            TableShape old = reader.read(c, planned.oid());
            long twinOid = oid(c, sql.twin());
            TableShape twin = reader.read(c, twinOid);
            var plan = CarryPlanner.plan(old, v.column(), sql.twin(), v.tag());
            List<String> unaccepted = plan.unsupported().stream().map(u -> u.id())
                    .filter(id -> !v.accepted().contains(id)).toList();
            if (!plan.blockers().isEmpty() || !unaccepted.isEmpty()) {
                throw new Mismatch("the table changed during the conversion: " + String.join("; ", plan.blockers())
                        + (unaccepted.isEmpty() ? "" : " needs acceptance of " + unaccepted));
            }
            var expected = plan.expected(Signature.of(old, sql.trigger()));
            for (String statement : SwapStatements.of(old, twin, plan, v.tag(), sql.oldName(), sql.trigger())) {
                exec(c, statement);
            }
            var actual = Signature.of(reader.read(c, twinOid), sql.trigger());
            List<String> differences = Signature.differences(expected, actual);
            LOG.debugf("Swap of conversion %s: %d catalog entries compared, %d differ", v.id(), expected.size(),
                    differences.size());
            var equivalence = new Conversion.Equivalence(differences.isEmpty(), expected.size(), differences);
            if (!differences.isEmpty()) {
                throw new SchemaMismatch(equivalence);
            }
            var figures = new Conversion.SwapFigures(millis(granted, System.nanoTime()), millis(requested, granted),
                    attempt, tail, keys.size());
            repository.swapped(c, v.id(), equivalence, figures);
            c.commit();
            long held = millis(granted, System.nanoTime());
            return new Result(equivalence, new Conversion.SwapFigures(held, figures.lockWaitMs(), attempt, tail,
                    keys.size()));
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static long oid(Connection c, String relation) throws SQLException {
        try (var st = c.prepareStatement("SELECT ?::regclass::oid")) {
            st.setString(1, relation);
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long millis(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1_000_000;
    }

    private static void exec(Connection c, String statement) throws SQLException {
        try (var st = c.createStatement()) {
            st.execute(statement);
        }
    }
}
