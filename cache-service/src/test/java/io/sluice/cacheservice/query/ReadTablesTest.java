package io.sluice.cacheservice.query;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReadTablesTest {

    @Test
    void findsTablesAfterFromAndJoinWithSchemasAndQuotes() {
        assertThat(ReadTables.of("SELECT * FROM public.orders o JOIN \"Items\" i ON i.o = o.id LEFT JOIN users u ON true"))
                .containsExactly("public.orders", "Items", "users");
    }

    @Test
    void findsEveryTableOfAFromListAndInsideSubqueries() {
        assertThat(ReadTables.of("SELECT * FROM a, b AS bb, c WHERE x IN (SELECT y FROM d)"))
                .containsExactlyInAnyOrder("a", "b", "c", "d");
    }

    @Test
    void functionsAreNotTablesAndLiteralsAreIgnored() {
        assertThat(ReadTables.of("SELECT * FROM generate_series(1, 3) g WHERE 'from x' <> ''")).isEmpty();
        assertThat(ReadTables.of("SELECT 1")).isEmpty();
    }
}
