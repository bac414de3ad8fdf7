package io.sluice.partitionmanager.conversion;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Runs statements that find a few thousand rows by primary key with the planner told to use the key's index: its
 * estimate for an array of keys can otherwise pick a scan of the whole table (millions of rows) while the swap
 * holds its lock. Must run inside a transaction; the settings are put back afterwards.
 */
final class KeyLookups {

    interface Body {
        void run() throws SQLException;
    }

    private KeyLookups() {
    }

    static void run(Connection c, Body body) throws SQLException {
        exec(c, "SET LOCAL enable_seqscan = off; SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off");
        body.run();
        exec(c, "RESET enable_seqscan; RESET enable_hashjoin; RESET enable_mergejoin");
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (var st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
