package io.sluice.common.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqlNormalizerTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            SELECT * FROM users WHERE id = 42                       | select * from users where id = ?
            select *   from USERS where ID = 'bob'                   | select * from users where id = ?
            SELECT a, b FROM t WHERE x IN (1, 2, 3)                  | select a, b from t where x in (?)
            SELECT a FROM t WHERE x IN ($1, $2)                      | select a from t where x in (?)
            SELECT a FROM t WHERE x IN (SELECT y FROM u)             | select a from t where x in (select y from u)
            INSERT INTO t (a, b) VALUES ($1, 'x') -- note            | insert into t(a, b) values ($1, ?)
            /* hint */ UPDATE t SET n = n + 1 WHERE id = $1;         | update t set n = n + ? where id = $1
            SELECT count(*) FROM public.users                        | select count(*) from public.users
            SELECT a::int FROM t WHERE b >= 10 AND c <> 'x'           | select a::int from t where b >= ? and c <> ?
            """)
    void normalizes(String sql, String normalized) {
        assertEquals(normalized, SqlNormalizer.normalize(sql));
    }

    @Test
    void escapeAndDollarQuotedStringsAreLiterals() {
        assertEquals("select ? || ?", SqlNormalizer.normalize("SELECT E'it\\'s' || $$dollar$$"));
    }

    @Test
    void statementsThatDifferOnlyInValuesShareAFingerprint() {
        assertEquals(SqlNormalizer.fingerprint("SELECT * FROM t WHERE id = 1"),
                SqlNormalizer.fingerprint("select *\n from t where id = 999"));
        assertNotEquals(SqlNormalizer.fingerprint("SELECT * FROM t WHERE id = 1"),
                SqlNormalizer.fingerprint("SELECT * FROM u WHERE id = 1"));
        assertEquals(16, SqlNormalizer.fingerprint("SELECT 1").length());
    }

    @Test
    void noLiteralValueSurvives() {
        assertFalse(SqlNormalizer.normalize("UPDATE users SET password = 'hunter2' WHERE email = 'a@b.c'")
                .contains("hunter2"));
    }
}
