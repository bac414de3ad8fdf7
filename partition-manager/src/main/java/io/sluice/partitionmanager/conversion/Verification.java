package io.sluice.partitionmanager.conversion;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Checks that the twin holds what the old table holds, without holding any lock on it. In one snapshot, a key with no
 * entry left in the change log has the same row in both tables (the log is written with each change and emptied with
 * each replay, in the same transactions). So: every range's count and hash are compared leaving out the keys still
 * in the log; the keys changed since (replayed later, or still pending) are then compared key by key, again in a
 * snapshot, until few are left; under the swap's lock, with the log emptied, only those last keys are compared.
 */
@ApplicationScoped
public class Verification {

    /** Compares every range; returns the keys left out (still pending in the log), which must be checked later. */
    public ChangedKeys ranges(Connection c, ConversionSql sql) throws SQLException {
        return inSnapshot(c, () -> {
            Map<String, String> old = net(digests(c, sql.rangeDigest(sql.table(), false)),
                    pendingDigests(c, sql, sql.table()));
            Map<String, String> twin = net(digests(c, sql.rangeDigest(sql.twin(), false)),
                    pendingDigests(c, sql, sql.twin()));
            if (!old.equals(twin)) {
                List<String> differ = new ArrayList<>();
                for (String range : old.keySet()) {
                    if (!Objects.equals(old.get(range), twin.get(range))) {
                        differ.add(range + ": " + old.get(range) + " vs " + twin.get(range));
                    }
                }
                twin.keySet().stream().filter(r -> !old.containsKey(r)).forEach(r -> differ.add(r + ": only in the twin"));
                throw new Mismatch("ranges differ (count/hash, old vs partitioned): " + String.join("; ", differ));
            }
            return pending(c, sql);
        });
    }

    /** Compares {@code keys} except those still pending; returns the pending ones, to be checked later. */
    public ChangedKeys keys(Connection c, ConversionSql sql, ChangedKeys keys) throws SQLException {
        return inSnapshot(c, () -> {
            ChangedKeys pending = pending(c, sql);
            compare(c, sql, keys.without(pending));
            return pending;
        });
    }

    /** Compares {@code keys} inside the caller's transaction (the swap's, after the log was emptied). */
    public void keysIn(Connection c, ConversionSql sql, ChangedKeys keys) throws SQLException {
        compare(c, sql, keys);
    }

    private static void compare(Connection c, ConversionSql sql, ChangedKeys keys) throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        String[] digests = new String[2];
        KeyLookups.run(c, () -> {
            digests[0] = keyDigest(c, sql, sql.table(), keys);
            digests[1] = keyDigest(c, sql, sql.twin(), keys);
        });
        if (!digests[0].equals(digests[1])) {
            throw new Mismatch("rows changed during the conversion differ (count/hash of " + keys.size()
                    + " keys, old vs partitioned): " + digests[0] + " vs " + digests[1]);
        }
    }

    private static String keyDigest(Connection c, ConversionSql sql, String relation, ChangedKeys keys)
            throws SQLException {
        try (var st = c.prepareStatement(sql.keyDigest(relation))) {
            sql.bindKeys(st, 1, keys);
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1) + "/" + rs.getString(2);
            }
        }
    }

    private static ChangedKeys pending(Connection c, ConversionSql sql) throws SQLException {
        ChangedKeys pending = new ChangedKeys();
        try (var st = c.createStatement(); var rs = st.executeQuery(sql.pendingKeys())) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> key = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) {
                    key.add(rs.getString(i));
                }
                pending.add(key);
            }
        }
        return pending;
    }

    private record Digest(long count, BigDecimal sum) {
    }

    private static Map<String, Digest> digests(Connection c, String query) throws SQLException {
        Map<String, Digest> byRange = new LinkedHashMap<>();
        try (var st = c.createStatement(); var rs = st.executeQuery(query)) {
            while (rs.next()) {
                byRange.put(rs.getString(1), new Digest(rs.getLong(2), rs.getBigDecimal(3)));
            }
        }
        return byRange;
    }

    private static Map<String, Digest> pendingDigests(Connection c, ConversionSql sql, String relation)
            throws SQLException {
        List<Map<String, Digest>> result = new ArrayList<>();
        KeyLookups.run(c, () -> result.add(digests(c, sql.rangeDigest(relation, true))));
        return result.get(0);
    }

    /** Each range's count and hash without the rows of pending keys; ranges left empty drop out. */
    private static Map<String, String> net(Map<String, Digest> all, Map<String, Digest> pending) {
        Map<String, String> net = new TreeMap<>();
        all.forEach((range, d) -> {
            Digest p = pending.getOrDefault(range, new Digest(0, BigDecimal.ZERO));
            if (d.count() != p.count()) {
                net.put(range, (d.count() - p.count()) + "/" + d.sum().subtract(p.sum()).toPlainString());
            }
        });
        return net;
    }

    private interface Work {
        ChangedKeys run() throws SQLException;
    }

    /** One read-only REPEATABLE READ transaction: every query sees the same snapshot. */
    private static ChangedKeys inSnapshot(Connection c, Work work) throws SQLException {
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        c.setAutoCommit(false);
        try {
            try (var st = c.createStatement()) {
                st.execute("SET TRANSACTION READ ONLY");
            }
            ChangedKeys result = work.run();
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        }
    }
}
