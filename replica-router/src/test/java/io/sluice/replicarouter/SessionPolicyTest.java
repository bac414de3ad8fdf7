package io.sluice.replicarouter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.sluice.common.sql.SqlClassifier;
import io.sluice.common.sql.SqlLexer;
import io.sluice.common.sql.Token;
import io.sluice.replicarouter.sql.SessionEffect;
import io.sluice.replicarouter.sql.SessionPolicy;

/** What each kind of statement may leave on its connection, alone and inside a batch. */
class SessionPolicyTest {

    private static final SqlClassifier CLASSIFIER = new SqlClassifier(Set.of());

    @ParameterizedTest(name = "{0} -> {1} alone, {2} in a batch")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            // plain reads calling only built-ins leave nothing
            "SELECT id, name FROM users WHERE id = $1                          | NONE    | NONE",
            "SELECT count(*), max(at) FROM t GROUP BY lower(name)              | NONE    | NONE",
            "WITH x AS (SELECT 1) SELECT * FROM x WHERE a IN (1, 2)            | NONE    | NONE",
            "SELECT pg_catalog.lower('A')                                      | NONE    | NONE",
            "SHOW statement_timeout                                            | NONE    | NONE",
            "EXPLAIN SELECT 1                                                  | NONE    | NONE",
            "SELECT current_setting('search_path')                             | NONE    | NONE",
            // what may hide state: writes (triggers), unknown or qualified functions, utilities
            "INSERT INTO t VALUES (1)                                          | RESET   | RESET",
            "UPDATE t SET a = 1 WHERE id = 2                                   | RESET   | RESET",
            "SELECT my_function(1)                                             | RESET   | RESET",
            "SELECT app.lower('A')                                             | RESET   | RESET",
            "SELECT \"lower\"('A')                                           | RESET   | RESET",
            "SELECT set_config('search_path', 'x', $1)                         | RESET   | RESET",
            "CALL refresh_things()                                             | RESET   | RESET",
            "DO $$ BEGIN PERFORM 1; END $$                                     | RESET   | RESET",
            "DECLARE c CURSOR FOR SELECT 1                                     | RESET   | RESET",
            "CREATE TABLE t (a int)                                            | RESET   | RESET",
            // transaction-scoped state is fine; outside a transaction PostgreSQL ignores it
            "SET LOCAL statement_timeout = 100                                 | NONE    | NONE",
            "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE                      | NONE    | NONE",
            "SET CONSTRAINTS ALL DEFERRED                                      | NONE    | NONE",
            "SELECT set_config('search_path', 'x', true)                       | RESET   | RESET",
            "SELECT pg_advisory_xact_lock(1)                                   | RESET   | RESET",
            "SAVEPOINT a                                                       | REFUSED | NONE",
            "RELEASE SAVEPOINT a                                               | REFUSED | NONE",
            "ROLLBACK TO SAVEPOINT a                                           | REFUSED | NONE",
            "CREATE TEMP TABLE x (a int) ON COMMIT DROP                        | REFUSED | RESET",
            // session state by design
            "BEGIN                                                             | REFUSED | REFUSED",
            "start transaction read only                                       | REFUSED | REFUSED",
            "COMMIT                                                            | REFUSED | REFUSED",
            "ROLLBACK                                                          | REFUSED | REFUSED",
            "PREPARE TRANSACTION 'a'                                           | REFUSED | REFUSED",
            "SET statement_timeout = 1                                         | REFUSED | REFUSED",
            "SET SESSION AUTHORIZATION bob                                     | REFUSED | REFUSED",
            "SET ROLE bob                                                      | REFUSED | REFUSED",
            "RESET ALL                                                         | REFUSED | REFUSED",
            "DISCARD ALL                                                       | REFUSED | REFUSED",
            "LISTEN ch                                                         | REFUSED | REFUSED",
            "PREPARE p AS SELECT 1                                             | REFUSED | REFUSED",
            "EXECUTE p                                                         | REFUSED | REFUSED",
            "DEALLOCATE p                                                      | REFUSED | REFUSED",
            "DECLARE c CURSOR WITH HOLD FOR SELECT 1                           | REFUSED | REFUSED",
            "CREATE TEMP TABLE x (a int)                                       | REFUSED | REFUSED",
            "CREATE GLOBAL TEMPORARY TABLE x (a int)                           | REFUSED | REFUSED",
            "SELECT * INTO TEMP x FROM t                                       | REFUSED | REFUSED",
            "SELECT pg_advisory_lock(1)                                        | REFUSED | REFUSED",
            "SELECT pg_try_advisory_lock_shared(1, 2)                          | REFUSED | REFUSED",
            "SELECT set_config('statement_timeout', '1', false)                | REFUSED | REFUSED",
            "LOAD 'auto_explain'                                               | REFUSED | REFUSED",
            "-- a comment\\n/* and another */ Begin                            | REFUSED | REFUSED" })
    void eachStatementKindHasItsEffect(String sql, SessionEffect.Kind alone, SessionEffect.Kind inBatch) {
        String text = sql.replace("\\n", "\n");
        List<Token> tokens = SqlLexer.tokenize(text).stream().filter(t -> t.kind() != Token.Kind.COMMENT).toList();
        var classification = CLASSIFIER.classify(text);
        assertThat(SessionPolicy.of(tokens, classification, false).kind()).as("alone").isEqualTo(alone);
        assertThat(SessionPolicy.of(tokens, classification, true).kind()).as("in a batch").isEqualTo(inBatch);
    }
}
