package io.sluice.common.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlTablesReadTest {

    @Test
    void findsTablesAfterFromAndJoinWithSchemasAndQuotes() {
        assertThat(SqlTables.read("SELECT * FROM public.orders o JOIN \"Items\" i ON i.o = o.id LEFT JOIN users u ON true"))
                .containsExactly("public.orders", "Items", "users");
    }

    @Test
    void findsEveryTableOfAFromListAndInsideSubqueries() {
        assertThat(SqlTables.read("SELECT * FROM a, b AS bb, c WHERE x IN (SELECT y FROM d)"))
                .containsExactlyInAnyOrder("a", "b", "c", "d");
    }

    @Test
    void functionsAreNotTablesAndLiteralsAreIgnored() {
        assertThat(SqlTables.read("SELECT * FROM generate_series(1, 3) g WHERE 'from x' <> ''")).isEmpty();
        assertThat(SqlTables.read("SELECT 1")).isEmpty();
    }
}
