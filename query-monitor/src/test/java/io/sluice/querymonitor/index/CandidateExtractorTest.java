package io.sluice.querymonitor.index;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.sluice.querymonitor.index.CandidateExtractor.ColumnRef;

class CandidateExtractorTest {

    @Test
    void filteredColumnsOfTheOnlyTable() {
        assertThat(CandidateExtractor.columns("SELECT sum(amount) FROM adv_1 WHERE customer = 42"))
                .containsExactly(new ColumnRef("adv_1", "customer"));
    }

    @Test
    void joinAndOrderByColumnsResolveThroughAliases() {
        assertThat(CandidateExtractor.columns("""
                SELECT o.id FROM orders o JOIN public.customers AS c ON c.id = o.customer_id
                WHERE o.created_at >= $1 AND lower(c.email) = 'x' ORDER BY o.created_at DESC LIMIT 10"""))
                .containsExactlyInAnyOrder(new ColumnRef("public.customers", "id"),
                        new ColumnRef("orders", "customer_id"), new ColumnRef("orders", "created_at"));
    }

    @Test
    void unqualifiedColumnsOfSeveralTablesAreSkipped() {
        assertThat(CandidateExtractor.columns("SELECT * FROM a, b WHERE x = 1")).isEmpty();
    }
}
