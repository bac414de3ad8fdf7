package io.sluice.common.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqlClassifierTest {

    private final SqlClassifier classifier = new SqlClassifier(Set.of("audit_log_write"));

    @ParameterizedTest(name = "{0} -> readOnly={1}")
    @CsvSource(delimiter = '|', textBlock = """
            SELECT 1                                                            | true
            select * from users where id = $1                                   | true
            (SELECT 1) UNION (SELECT 2)                                         | true
            VALUES (1), (2)                                                     | true
            TABLE users                                                         | true
            WITH a AS (SELECT 1) SELECT * FROM a                                | true
            SHOW search_path                                                    | true
            EXPLAIN SELECT * FROM users                                         | true
            EXPLAIN (FORMAT JSON) SELECT 1                                      | true
            SELECT 'insert into t values (1)' AS s                              | true
            SELECT $$ delete from t $$                                          | true
            SELECT $tag$ update t set a = 1 $tag$                               | true
            SELECT "update" FROM t                                              | true
            SELECT 1 -- delete from t                                           | true
            SELECT 1 /* update t /* nested */ set a = 1 */                      | true
            SELECT E'it\\'s an update' AS s                                     | true
            SELECT count(*) FROM users                                          | true
            SELECT 1;                                                           | true
            INSERT INTO t VALUES (1)                                            | false
            UPDATE t SET a = 1                                                  | false
            DELETE FROM t                                                       | false
            MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE        | false
            CREATE TABLE t (a int)                                              | false
            BEGIN                                                               | false
            SET statement_timeout = 0                                           | false
            COPY t FROM STDIN                                                   | false
            WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d               | false
            WITH u AS (UPDATE t SET a = 1 RETURNING *) SELECT 1                 | false
            SELECT * FROM t FOR UPDATE                                          | false
            SELECT * FROM t FOR SHARE                                           | false
            SELECT * FROM t FOR NO KEY UPDATE                                   | false
            SELECT * FROM t FOR KEY SHARE                                       | false
            SELECT * INTO new_t FROM t                                          | false
            SELECT nextval('s')                                                 | false
            SELECT pg_catalog.nextval('s')                                      | false
            SELECT "nextval"('s')                                               | false
            SELECT setval('s', 1)                                               | false
            SELECT pg_advisory_lock(1)                                          | false
            SELECT pg_try_advisory_xact_lock(1)                                 | false
            SELECT set_config('a.b', 'c', false)                                | false
            SELECT audit_log_write('x')                                         | false
            SELECT AUDIT_LOG_WRITE('x')                                         | false
            EXPLAIN ANALYZE SELECT 1                                            | false
            EXPLAIN (ANALYZE, BUFFERS) DELETE FROM t                            | false
            SELECT 1; DELETE FROM t                                             | false
            SELECT 1; SELECT 2                                                  | false
            -- only a comment                                                   | false
            """)
    void classifies(String sql, boolean readOnly) {
        assertEquals(readOnly, classifier.classify(sql).readOnly(), () -> classifier.classify(sql).reason());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            /* sluice:route=primary */ SELECT 1     | PRIMARY
            SELECT 1 -- sluice:route = replica      | REPLICA
            /* SLUICE:ROUTE=Replica */ SELECT 1     | REPLICA
            """)
    void readsHintsFromComments(String sql, Classification.RouteHint hint) {
        assertEquals(Optional.of(hint), classifier.classify(sql).hint());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            SELECT 'sluice:route=primary'           | true
            SELECT 1                                | true
            """)
    void aHintInsideAStringIsNoHint(String sql, boolean empty) {
        assertEquals(empty, classifier.classify(sql).hint().isEmpty());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            select 1                | SELECT
            /* x */ insert into t   | INSERT
            with a as (select 1) select 1 | WITH
            """)
    void reportsTheCommand(String sql, String command) {
        assertEquals(command, classifier.classify(sql).command());
    }
}
