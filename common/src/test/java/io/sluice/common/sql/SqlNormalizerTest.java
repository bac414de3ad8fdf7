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
            INSERT INTO t (a, b) VALUES ($1, 'x') -- note            | insert into t(a, b) values (?, ?)
            /* hint */ UPDATE t SET n = n + 1 WHERE id = $1;         | update t set n = n + ? where id = ?
            SELECT a FROM t WHERE x = -1 AND y - 2 > 0               | select a from t where x = ? and y - ? > ?
            SELECT a FROM t WHERE flag = TRUE OR other = false       | select a from t where flag = ? or other = ?
            SELECT "id", "Name" FROM "users"                         | select id, "Name" from users
            SELECT '2024-01-01'::date, CAST('7' AS int)              | select ?::date, cast(? as int)
            SELECT a FROM t WHERE x IN ('a'::text, 'b'::text)        | select a from t where x in (?)
            SELECT a FROM t WHERE x IN (-1, 2) LIMIT 10 OFFSET 5     | select a from t where x in (?) limit ? offset ?
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
    void aPgStatStatementsTextNormalizesLikeTheStatementsItCounts() {
        assertEquals(SqlNormalizer.normalize("select * from t where id = 7 and name = 'x' limit 5"),
                SqlNormalizer.normalize("SELECT * FROM t WHERE id = $1 AND name = $2 LIMIT $3"));
    }

    @Test
    void dollarQuotedStringsWithTagsAndCommentsInsideAreOneLiteral() {
        assertEquals("select ? as body", SqlNormalizer.normalize("SELECT $fn$ it's -- not a comment $fn$ AS body"));
        assertEquals("select a from t where b = ?",
                SqlNormalizer.normalize("SELECT a /* nested /* comment */ still */ FROM t WHERE b = 'x' -- end"));
    }

    @Test
    void inListsOfAnyLengthShareAFingerprint() {
        assertEquals(SqlNormalizer.fingerprint("SELECT * FROM t WHERE id IN (1)"),
                SqlNormalizer.fingerprint("SELECT * FROM t WHERE id IN (1, 2, 3, 4, 5, 6, 7)"));
    }

    @Test
    void structureDifferencesKeepFingerprintsApart() {
        assertNotEquals(SqlNormalizer.fingerprint("SELECT a FROM t WHERE x = 1"),
                SqlNormalizer.fingerprint("SELECT a FROM t WHERE x > 1"));
        assertNotEquals(SqlNormalizer.fingerprint("SELECT a FROM \"T\""),
                SqlNormalizer.fingerprint("SELECT a FROM t"));
    }

    @Test
    void theFingerprintIsAFixedFunctionOfTheText() {
        // Pinned: a change of this value splits every stored history, so it must be deliberate.
        assertEquals("88e41652b573c403",
                SqlNormalizer.fingerprint("SELECT * FROM t WHERE id = 1"));
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
