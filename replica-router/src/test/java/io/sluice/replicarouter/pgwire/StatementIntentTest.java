package io.sluice.replicarouter.pgwire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;

import io.sluice.common.sql.SqlClassifier;
import io.sluice.replicarouter.sql.StatementShapes;

/** What the listener makes of a SQL text outside a transaction (plain JUnit over the shared classifier). */
class StatementIntentTest {

    private final StatementShapes shapes = new StatementShapes(new SqlClassifier(Set.of()));

    private StatementIntent of(String sql) {
        return StatementIntent.of(sql, shapes.of(sql));
    }

    @Test
    void readsMayGoToAReplicaAndWritesMayNot() {
        assertThat(of("SELECT * FROM t WHERE id = $1").readOnly()).isTrue();
        assertThat(of("SELECT * FROM t WHERE id = $1").dirty()).isFalse();
        assertThat(of("INSERT INTO t VALUES (1)").readOnly()).isFalse();
        assertThat(of("INSERT INTO t VALUES (1)").dirty()).isTrue();
        assertThat(of("SELECT nextval('s')").readOnly()).isFalse();
        assertThat(of("").readOnly()).isTrue();
    }

    @Test
    void onlyAReadOnlyTransactionMayStartOnAReplica() {
        assertThat(of("BEGIN").readOnly()).isFalse();
        assertThat(of("START TRANSACTION ISOLATION LEVEL REPEATABLE READ").readOnly()).isFalse();
        assertThat(of("BEGIN READ ONLY").readOnly()).isTrue();
        assertThat(of("START TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ ONLY, DEFERRABLE").readOnly()).isTrue();
        assertThat(of("BEGIN READ ONLY").pinsSession()).isFalse();
        assertThat(of("BEGIN READ WRITE").readOnly()).isFalse();
    }

    @Test
    void plainSessionSetsAreTrackedAndOtherSessionStatePins() {
        assertThat(of("SET extra_float_digits = 3").setting()).containsExactly("extra_float_digits", "3");
        assertThat(of("SET SESSION TimeZone TO 'Europe/Paris'").setting()).containsExactly("timezone",
                "Europe/Paris");
        assertThat(of("set search_path = app, public;").setting()).containsExactly("search_path", "app,public");
        assertThat(of("SET LOCAL statement_timeout = 5").setting()).isNull();
        assertThat(of("SET LOCAL statement_timeout = 5").pinsSession()).isFalse();
        assertThat(of("SET ROLE other").pinsSession()).isTrue();
        assertThat(of("LISTEN jobs").pinsSession()).isTrue();
        assertThat(of("CREATE TEMP TABLE x (id int)").pinsSession()).isTrue();
        assertThat(of("SELECT pg_advisory_lock(1)").pinsSession()).isTrue();
        assertThat(of("PREPARE q AS SELECT 1").pinsSession()).isTrue();
    }

    @Test
    void severalStatementsInOneStringGoToThePrimaryAndAreResetAfter() {
        StatementIntent multi = of("SELECT 1; SET statement_timeout = 1");
        assertThat(multi.readOnly()).isFalse();
        assertThat(multi.dirty()).isTrue();
        assertThat(multi.setting()).isNull();
    }
}
