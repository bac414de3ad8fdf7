package io.sluice.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One throwaway PostgreSQL server in its own data directory on a free port: a primary made with initdb or a
 * streaming replica made with pg_basebackup -R. Tests use it to stop, start, promote and query the node.
 */
public final class PostgresNode {

    public static final String USER = "postgres";
    public static final String DATABASE = "postgres";

    private final String name;
    private final Path dataDir;
    private final int port;

    private PostgresNode(String name, Path dataDir, int port) {
        this.name = name;
        this.dataDir = dataDir;
        this.port = port;
    }

    /** initdb + start: WAL for replicas, pg_stat_statements preloaded and created. */
    static PostgresNode primary(String name, Path baseDir) {
        var node = new PostgresNode(name, baseDir.resolve(name), FreePorts.next());
        Processes.runAsDbOwner(baseDir, PgBinaries.tool("initdb"), "-D", node.dataDir.toString(), "-U", USER,
                "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync");
        node.appendConfig("postgresql.conf", String.join("\n",
                "listen_addresses = '127.0.0.1'",
                "wal_level = replica",
                "max_wal_senders = 10",
                "max_replication_slots = 10",
                "wal_keep_size = '256MB'",
                "hot_standby = on",
                "hot_standby_feedback = on",
                "max_connections = 200",
                "shared_buffers = '64MB'",
                "shared_preload_libraries = 'pg_stat_statements'",
                "pg_stat_statements.track = all",
                // Throwaway data: durability buys nothing here and costs test time.
                "fsync = off",
                "full_page_writes = off"));
        node.appendPortConfig("postgresql.conf");
        node.start();
        try {
            node.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        } catch (RuntimeException e) {
            node.kill();
            throw e;
        }
        return node;
    }

    /** pg_basebackup -R from a running primary, then start: a hot standby streaming from it. */
    static PostgresNode replicaOf(PostgresNode primary, String name, Path baseDir) {
        var node = new PostgresNode(name, baseDir.resolve(name), FreePorts.next());
        Processes.runAsDbOwner(baseDir, PgBinaries.tool("pg_basebackup"), "-h", "127.0.0.1",
                "-p", Integer.toString(primary.port), "-U", USER, "-D", node.dataDir.toString(),
                "-R", "-X", "stream", "-c", "fast", "--no-sync");
        // The copied postgresql.conf names the primary's port and socket; the auto.conf lines win.
        node.appendPortConfig("postgresql.auto.conf");
        node.start();
        return node;
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** URL for the Vert.x reactive PG client (quarkus.datasource.reactive.url). */
    public String reactiveUrl() {
        return "postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    public void start() {
        pgCtl("-l", dataDir.resolve("server.log").toString(), "-w", "-t", "60", "start");
    }

    /** A clean shutdown: clients are disconnected, the server finishes its work. */
    public void stop() {
        pgCtl("-m", "fast", "-w", "stop");
    }

    /** Like a crash or a pulled cable: no shutdown checkpoint, connections drop at once. */
    public void kill() {
        pgCtl("-m", "immediate", "-w", "stop");
    }

    public void restart() {
        stop();
        start();
    }

    public boolean isRunning() {
        try {
            pgCtl("status");
            return true;
        } catch (IllegalStateException notRunning) {
            return false;
        }
    }

    /** pg_ctl promote: the replica leaves recovery and accepts writes. */
    public void promote() {
        pgCtl("-w", "promote");
    }

    public boolean isInRecovery() {
        return "t".equals(queryValue("SELECT pg_is_in_recovery()"));
    }

    /**
     * A JDBC connection for test-side checks. The driver is instantiated directly: DriverManager only sees drivers
     * of the caller's class loader, which changes each time Quarkus restarts for a test profile.
     */
    public Connection connect() throws SQLException {
        var props = new java.util.Properties();
        props.setProperty("user", USER);
        return DRIVER.connect(jdbcUrl(), props);
    }

    private static final java.sql.Driver DRIVER = new org.postgresql.Driver();

    public void execute(String sql, Object... params) {
        try (var c = connect(); var st = c.prepareStatement(sql)) {
            bind(st, params);
            st.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(name + ": " + e.getMessage(), e);
        }
    }

    /** The first column of the first row as text, or null when there is no row. */
    public String queryValue(String sql, Object... params) {
        var rows = query(sql, params);
        if (rows.isEmpty()) {
            return null;
        }
        Object v = rows.get(0).values().iterator().next();
        return v == null ? null : v instanceof Boolean b ? (b ? "t" : "f") : v.toString();
    }

    public List<Map<String, Object>> query(String sql, Object... params) {
        try (var c = connect(); var st = c.prepareStatement(sql)) {
            bind(st, params);
            try (var rs = st.executeQuery()) {
                var meta = rs.getMetaData();
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        row.put(meta.getColumnLabel(i), rs.getObject(i));
                    }
                    rows.add(row);
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(name + ": " + e.getMessage(), e);
        }
    }

    private static void bind(java.sql.PreparedStatement st, Object[] params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            st.setObject(i + 1, params[i]);
        }
    }

    private void pgCtl(String... args) {
        String[] cmd = new String[args.length + 3];
        cmd[0] = PgBinaries.tool("pg_ctl");
        cmd[1] = "-D";
        cmd[2] = dataDir.toString();
        System.arraycopy(args, 0, cmd, 3, args.length);
        Processes.runAsDbOwner(dataDir.getParent(), cmd);
    }

    private void appendPortConfig(String file) {
        appendConfig(file, "port = " + port + "\nunix_socket_directories = '" + dataDir + "'");
    }

    private void appendConfig(String file, String lines) {
        try {
            Files.writeString(dataDir.resolve(file), "\n" + lines + "\n", StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return name + "@" + port;
    }
}
