package io.sluice.common.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqlTablesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            INSERT INTO users (id) VALUES (1)                                    | users
            insert into public.users values (1) on conflict (id) do update set a = 1 | public.users
            UPDATE ONLY accounts SET a = 1 WHERE id = 2                          | accounts
            DELETE FROM "Orders" WHERE id = 1                                    | Orders
            MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE          | t
            TRUNCATE TABLE a, b                                                  | a,b
            TRUNCATE c                                                           | c
            COPY events FROM STDIN                                               | events
            ALTER TABLE IF EXISTS m ADD COLUMN x int                             | m
            DROP TABLE IF EXISTS old_stuff                                       | old_stuff
            WITH d AS (DELETE FROM q RETURNING *) INSERT INTO archive SELECT * FROM d | q,archive
            SELECT * FROM t FOR UPDATE                                           | ''
            SELECT 1                                                             | ''
            """)
    void findsWrittenTables(String sql, String expected) {
        Set<String> want = expected.isEmpty() ? Set.of() : new LinkedHashSet<>(Arrays.asList(expected.split(",")));
        assertEquals(want, SqlTables.written(sql));
    }
}
