package io.sluice.replicarouter.pgwire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.Socket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.sluice.testing.MetricsScrape;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;

/**
 * The wire listener with pgjdbc, unchanged, against the harness's real primary and streaming replica: where reads,
 * writes and transactions run, read-your-writes with the replica's replay paused, errors, session state, prepared
 * statements that move between server connections, cancel, and the login and protocol errors.
 */
@QuarkusTest
@TestProfile(WireProfile.class)
@WithTestResource(SluiceInfraResource.class)
class WireProtocolTest {

    private static final java.sql.Driver DRIVER = new org.postgresql.Driver();
    private static final String REPLICA_READS =
            "sluice_replicarouter_wire_statements_total{reason=\"read\",target=\"replica\"}";

    private final SluiceInfra infra = SluiceInfra.get();

    @Inject
    WireListener listener;

    @AfterEach
    void heal() {
        infra.heal();
    }

    private Connection connect(String prepareThreshold) throws SQLException {
        return connect(prepareThreshold, WireProfile.USER, WireProfile.PASSWORD, "postgres");
    }

    private Connection connect(String prepareThreshold, String user, String password, String database)
            throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("prepareThreshold", prepareThreshold);
        props.setProperty("connectTimeout", "10");
        props.setProperty("socketTimeout", "30");
        return DRIVER.connect("jdbc:postgresql://127.0.0.1:" + listener.port() + "/" + database, props);
    }

    private static String table() {
        return "wire_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private void awaitReplicaServesReads(Connection c) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(standby(c)).isTrue());
    }

    private static boolean standby(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "5", "0", "1" })
    void readsRunOnTheReplicaAndWritesOnThePrimaryCommitted(String prepareThreshold) throws Exception {
        String t = table();
        double replicaBefore = MetricsScrape.value(REPLICA_READS);
        try (Connection c = connect(prepareThreshold)) {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE " + t + " (id int PRIMARY KEY, note text)");
            }
            for (int i = 1; i <= 6; i++) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t + " VALUES (?, ?)")) {
                    ps.setInt(1, i);
                    ps.setString(2, "n" + i);
                    assertThat(ps.executeUpdate()).isEqualTo(1);
                }
            }
            assertThat(infra.primary().queryValue("SELECT count(*) FROM " + t)).isEqualTo("6");
            infra.awaitReplayed(infra.replica(), Duration.ofSeconds(10));
            awaitReplicaServesReads(c);
            for (int i = 1; i <= 6; i++) {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT pg_is_in_recovery(), note FROM " + t + " WHERE id = ?")) {
                    ps.setInt(1, i);
                    try (ResultSet rs = ps.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getString(2)).isEqualTo("n" + i);
                        assertThat(rs.getBoolean(1)).as("read %d ran on the replica", i).isTrue();
                    }
                }
            }
        }
        assertThat(MetricsScrape.value(REPLICA_READS)).isGreaterThanOrEqualTo(replicaBefore + 6);
    }

    @ParameterizedTest
    @ValueSource(strings = { "5", "0" })
    void aTransactionStaysOnOneNodeAndAReadOnlyOneMayUseTheReplica(String prepareThreshold) throws Exception {
        String t = table();
        try (Connection c = connect(prepareThreshold)) {
            c.createStatement().execute("CREATE TABLE " + t + " (id int)");
            infra.awaitReplayed(infra.replica(), Duration.ofSeconds(10));
            awaitReplicaServesReads(c);
            c.setAutoCommit(false);
            String first = nodeAndBackend(c);
            c.createStatement().executeUpdate("INSERT INTO " + t + " VALUES (1)");
            assertThat(nodeAndBackend(c)).isEqualTo(first).startsWith("false");
            assertThat(infra.primary().queryValue("SELECT count(*) FROM " + t)).isEqualTo("0");
            c.commit();
            assertThat(infra.primary().queryValue("SELECT count(*) FROM " + t)).isEqualTo("1");

            // A READ ONLY transaction may run on the replica, once it has this client's write (read-your-writes).
            c.setReadOnly(true);
            infra.awaitReplayed(infra.replica(), Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                String readOnly = nodeAndBackend(c);
                String again = nodeAndBackend(c);
                c.commit();
                assertThat(readOnly).startsWith("true");
                assertThat(again).isEqualTo(readOnly);
            });
        }
    }

    private static String nodeAndBackend(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery(), pg_backend_pid()")) {
            rs.next();
            return rs.getBoolean(1) + "/" + rs.getInt(2);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "5", "0" })
    void anErrorIsRelayedWithItsSqlStateAndTheSessionStaysUsable(String prepareThreshold) throws Exception {
        String t = table();
        try (Connection c = connect(prepareThreshold)) {
            assertThatThrownBy(() -> c.createStatement().executeQuery("SELECT 1/0"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22012"));
            assertThatThrownBy(() -> c.createStatement().executeQuery("SELECT * FROM no_such_table_here"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("42P01");
                        assertThat(e.getMessage()).contains("no_such_table_here").contains("Position");
                    });
            try (ResultSet rs = c.createStatement().executeQuery("SELECT 41 + 1")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }

            c.createStatement().execute("CREATE TABLE " + t + " (id int)");
            c.setAutoCommit(false);
            c.createStatement().executeUpdate("INSERT INTO " + t + " VALUES (1)");
            assertThatThrownBy(() -> c.createStatement().executeQuery("SELECT 1/0")).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> c.createStatement().executeQuery("SELECT 1"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("25P02"));
            c.rollback();
            c.setAutoCommit(true);
            assertThat(infra.primary().queryValue("SELECT count(*) FROM " + t)).isEqualTo("0");
            try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM " + t)) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "5", "0" })
    void aClientReadsItsOwnWritesWhileTheReplicaIsPaused(String prepareThreshold) throws Exception {
        String t = table();
        try (Connection c = connect(prepareThreshold); Connection other = connect(prepareThreshold)) {
            c.createStatement().execute("CREATE TABLE " + t + " (id int)");
            infra.awaitReplayed(infra.replica(), Duration.ofSeconds(10));
            awaitReplicaServesReads(c);
            infra.pauseReplay(infra.replica());
            try {
                c.createStatement().executeUpdate("INSERT INTO " + t + " VALUES (7)");
                for (int i = 0; i < 5; i++) {
                    try (PreparedStatement ps = c.prepareStatement(
                            "SELECT pg_is_in_recovery(), count(*) FROM " + t + " WHERE id = ?")) {
                        ps.setInt(1, 7);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            assertThat(rs.getLong(2)).as("read %d sees the write", i).isEqualTo(1);
                            assertThat(rs.getBoolean(1)).as("read %d ran on the primary", i).isFalse();
                        }
                    }
                }
                // Another client has no write to wait for: the paused replica (still within the lag limit) may
                // serve it, stale.
                try (ResultSet rs = other.createStatement().executeQuery(
                        "SELECT pg_is_in_recovery(), count(*) FROM " + t)) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        assertThat(rs.getLong(2)).isZero();
                    }
                }
            } finally {
                infra.resumeReplay(infra.replica());
            }
            infra.awaitReplayed(infra.replica(), Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(standby(c)).isTrue());
        }
    }

    @Test
    void namedStatementsOfManyClientsShareServerConnectionsWithoutMixingUp() throws Exception {
        String t = table();
        try (Connection a = connect("1"); Connection b = connect("1")) {
            a.createStatement().execute("CREATE TABLE " + t + " (id int)");
            // Both drivers name their first statement S_1; the texts differ.
            PreparedStatement readA = a.prepareStatement("SELECT 'a' || ?::text, pg_is_in_recovery()");
            PreparedStatement readB = b.prepareStatement("SELECT 'b' || ?::text, count(*) FROM " + t);
            PreparedStatement writeA = a.prepareStatement("INSERT INTO " + t + " VALUES (?)");
            for (int i = 0; i < 8; i++) {
                readA.setInt(1, i);
                try (ResultSet rs = readA.executeQuery()) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo("a" + i);
                }
                writeA.setInt(1, i);
                writeA.executeUpdate();
                readB.setInt(1, i);
                try (ResultSet rs = readB.executeQuery()) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo("b" + i);
                }
            }
            assertThat(infra.primary().queryValue("SELECT count(*) FROM " + t)).isEqualTo("8");
        }
    }

    @Test
    void aSessionSetFollowsTheClientAndOtherSessionStatePinsIt() throws Exception {
        try (Connection c = connect("5")) {
            awaitReplicaServesReads(c);
            c.createStatement().execute("SET application_name = 'wire-test-app'");
            for (int i = 0; i < 3; i++) {
                try (ResultSet rs = c.createStatement().executeQuery(
                        "SELECT current_setting('application_name'), pg_is_in_recovery()")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo("wire-test-app");
                }
            }
            assertThat(standby(c)).as("a tracked SET does not pin the client").isTrue();

            c.createStatement().execute("CREATE TEMP TABLE wire_tmp (id int)");
            c.createStatement().executeUpdate("INSERT INTO wire_tmp VALUES (1)");
            String pinned = nodeAndBackend(c);
            assertThat(pinned).startsWith("false");
            try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM wire_tmp")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
            assertThat(nodeAndBackend(c)).isEqualTo(pinned);
        }
        try (Connection c = connect("5")) {
            assertThatThrownBy(() -> c.createStatement().executeQuery("SELECT * FROM wire_tmp"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42P01"));
        }
    }

    @Test
    void aServerConnectionGoesBackCleanAfterAFunctionChangedItsSession() throws Exception {
        String fn = table() + "_sets_path";
        try (Connection c = connect("5")) {
            c.createStatement().execute("CREATE FUNCTION " + fn + "() RETURNS text LANGUAGE sql AS "
                    + "$$ SELECT set_config('search_path', 'pg_temp, nowhere', false) $$");
            infra.awaitReplayed(infra.replica(), Duration.ofSeconds(10));
            awaitReplicaServesReads(c);
            String pid;
            try (ResultSet rs = c.createStatement().executeQuery("SELECT " + fn + "(), pg_backend_pid()")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("pg_temp, nowhere");
                pid = rs.getString(2);
            }
            // The next statement of this client takes the connection just given back (the idle list is LIFO).
            try (ResultSet rs = c.createStatement().executeQuery(
                    "SELECT current_setting('search_path'), pg_backend_pid()")) {
                rs.next();
                assertThat(rs.getString(2)).isEqualTo(pid);
                assertThat(rs.getString(1)).isEqualTo("\"$user\", public");
            }
        }
    }

    @Test
    void withEveryPrimaryConnectionHeldAWriteGetsAFastOverloadErrorAndTheSessionStaysUsable() throws Exception {
        String t = table();
        java.util.List<Connection> holders = new java.util.ArrayList<>();
        try (Connection late = connect("5")) {
            late.createStatement().execute("CREATE TABLE " + t + " (id int)");
            // The profile's wire.pool-size is 4: four open transactions hold every primary connection.
            for (int i = 0; i < 4; i++) {
                Connection h = connect("5");
                holders.add(h);
                h.setAutoCommit(false);
                h.createStatement().executeUpdate("INSERT INTO " + t + " VALUES (" + i + ")");
            }
            double before = MetricsScrape.value("sluice_replicarouter_wire_errors_total{kind=\"overloaded\"}");
            assertThatThrownBy(() -> late.createStatement().executeUpdate("INSERT INTO " + t + " VALUES (99)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("53300"));
            assertThat(MetricsScrape.value("sluice_replicarouter_wire_errors_total{kind=\"overloaded\"}"))
                    .isEqualTo(before + 1);
            for (Connection h : holders) {
                h.commit();
            }
            assertThat(late.createStatement().executeUpdate("INSERT INTO " + t + " VALUES (99)")).isEqualTo(1);
            assertThat(infra.primary().queryValue("SELECT count(*) FROM " + t)).isEqualTo("5");
        } finally {
            for (Connection h : holders) {
                h.close();
            }
        }
    }

    @Test
    void aServerConnectionKilledMidTransactionEndsTheClientWithAnErrorNotAHang() throws Exception {
        try (Connection c = connect("5")) {
            c.setAutoCommit(false);
            String backend = nodeAndBackend(c);
            assertThat(backend).startsWith("false");
            infra.primary().execute("SELECT pg_terminate_backend(" + backend.substring(backend.indexOf('/') + 1) + ")");
            assertThatThrownBy(() -> nodeAndBackend(c)).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).matches("57P01|08.*"));
        }
        try (Connection fresh = connect("5")) {
            try (ResultSet rs = fresh.createStatement().executeQuery("SELECT 'served'")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("served");
            }
        }
    }

    @Test
    void aCommittedWriteLeavesItsTablesAndCommitLsnOnTheInvalidationStream() throws Exception {
        String t = table();
        String stream = "sluice:replicarouter:{invalidations}";
        try (Connection c = connect("5")) {
            c.createStatement().execute("CREATE TABLE " + t + " (id int)");
            c.setAutoCommit(false);
            c.createStatement().executeUpdate("INSERT INTO " + t + " VALUES (1)");
            c.createStatement().executeUpdate("UPDATE " + t + " SET id = 2");
            c.commit();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                String entry = infra.redis().command("XREVRANGE", stream, "+", "-", "COUNT", "1");
                assertThat(entry).contains("tables\n" + t + "\n").contains("node\nprimary");
            });
            String lsn = infra.redis().command("XREVRANGE", stream, "+", "-", "COUNT", "1").split("lsn\n")[1]
                    .split("\n")[0];
            assertThat(io.sluice.common.sql.Lsn.parse(lsn)).isLessThanOrEqualTo(io.sluice.common.sql.Lsn.parse(
                    infra.primary().queryValue("SELECT pg_current_wal_insert_lsn()::text")));
        }
    }

    @Test
    void aCancelStopsTheStatementOnItsServer() throws Exception {
        try (Connection c = connect("5")) {
            Statement st = c.createStatement();
            CompletableFuture<Throwable> sleep = CompletableFuture.supplyAsync(() -> {
                try {
                    st.executeQuery("SELECT pg_sleep(20)");
                    return null;
                } catch (SQLException e) {
                    return e;
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> "1".equals(infra.replica().queryValue(
                    "SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(20)'"))
                    || "1".equals(infra.primary().queryValue(
                            "SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(20)'")));
            st.cancel();
            Throwable e = sleep.get(10, TimeUnit.SECONDS);
            assertThat(e).isInstanceOf(SQLException.class);
            assertThat(((SQLException) e).getSQLState()).isEqualTo("57014");
            try (ResultSet rs = c.createStatement().executeQuery("SELECT 'still usable'")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("still usable");
            }
        }
    }

    @Test
    void aWrongPasswordAnUnknownUserAndAnotherDatabaseAreRefused() {
        assertThatThrownBy(() -> connect("5", WireProfile.USER, "wrong", "postgres"))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
        assertThatThrownBy(() -> connect("5", "nobody", WireProfile.PASSWORD, "postgres"))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
        assertThatThrownBy(() -> connect("5", WireProfile.USER, WireProfile.PASSWORD, "template1"))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("3D000"));
        assertThat(MetricsScrape.value("sluice_replicarouter_wire_logins_total{outcome=\"failed\"}"))
                .isGreaterThanOrEqualTo(3);
    }

    @Test
    void malformedOrUnsupportedStartupGetsAnErrorAndTheConnectionIsClosed() throws Exception {
        assertThat(rawStartup(new byte[] { 0, 0, 0, 2 })).isEqualTo("08P01");
        // Protocol 2.0 startup.
        assertThat(rawStartup(new byte[] { 0, 0, 0, 8, 0, 2, 0, 0 })).isEqualTo("08P01");
        // SSLRequest is answered 'N', then a startup without a user.
        try (Socket s = new Socket("127.0.0.1", listener.port())) {
            s.setSoTimeout(10_000);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            DataInputStream in = new DataInputStream(s.getInputStream());
            out.writeInt(8);
            out.writeInt(80877103);
            assertThat(in.readByte()).isEqualTo((byte) 'N');
            out.writeInt(9);
            out.writeInt(196608);
            out.writeByte(0);
            assertThat(errorCode(in)).isEqualTo("28000");
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    /** Sends raw bytes as the first message and returns the SQLSTATE of the answer, checking the socket closes. */
    private String rawStartup(byte[] bytes) throws Exception {
        try (Socket s = new Socket("127.0.0.1", listener.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(bytes);
            DataInputStream in = new DataInputStream(s.getInputStream());
            String code = errorCode(in);
            assertThat(in.read()).isEqualTo(-1);
            return code;
        }
    }

    private static String errorCode(DataInputStream in) throws Exception {
        assertThat(in.readByte()).isEqualTo((byte) 'E');
        byte[] body = new byte[in.readInt() - 4];
        in.readFully(body);
        String[] fields = new String(body, java.nio.charset.StandardCharsets.UTF_8).split("\0");
        for (String f : fields) {
            if (f.startsWith("C")) {
                return f.substring(1);
            }
        }
        return null;
    }

    @Test
    void theListenerHasItsMetrics() throws Exception {
        try (Connection c = connect("5")) {
            assertThat(MetricsScrape.value("sluice_replicarouter_wire_clients")).isGreaterThanOrEqualTo(1);
        }
        String body = io.restassured.RestAssured.given().get("/q/metrics").asString();
        assertThat(body).contains("sluice_replicarouter_wire_logins_total", "sluice_replicarouter_wire_errors_total",
                "sluice_replicarouter_wire_server_connections{node=\"primary\"}",
                "sluice_replicarouter_wire_statements_total");
    }
}
