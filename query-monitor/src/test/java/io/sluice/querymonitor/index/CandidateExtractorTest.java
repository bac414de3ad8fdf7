package io.sluice.querymonitor.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.sluice.querymonitor.index.CandidateExtractor.IndexCandidate;

class CandidateExtractorTest {

    @Test
    void filteredColumnsOfTheOnlyTable() {
        assertThat(CandidateExtractor.candidates("SELECT sum(amount) FROM adv_1 WHERE customer = 42"))
                .containsExactly(new IndexCandidate("adv_1", List.of("customer")));
    }

    @Test
    void joinAndOrderByColumnsResolveThroughAliases() {
        assertThat(CandidateExtractor.candidates("""
                SELECT o.id FROM orders o JOIN public.customers AS c ON c.id = o.customer_id
                WHERE o.created_at >= $1 AND lower(c.email) = 'x' ORDER BY o.created_at DESC LIMIT 10"""))
                .containsExactlyInAnyOrder(new IndexCandidate("public.customers", List.of("id")),
                        new IndexCandidate("orders", List.of("customer_id")),
                        new IndexCandidate("orders", List.of("created_at")),
                        new IndexCandidate("orders", List.of("customer_id", "created_at")));
    }

    @Test
    void unqualifiedColumnsOfSeveralTablesAreSkipped() {
        assertThat(CandidateExtractor.candidates("SELECT * FROM a, b WHERE x = 1")).isEmpty();
    }

    @Test
    void equalityColumnsLeadAMultiColumnCandidateAndOneRangeOrSortColumnEndsIt() {
        assertThat(CandidateExtractor.candidates(
                "SELECT id FROM orders WHERE created_at >= $1 AND status = 'paid' AND shop = $2 ORDER BY id"))
                .containsExactly(new IndexCandidate("orders", List.of("created_at")),
                        new IndexCandidate("orders", List.of("status")), new IndexCandidate("orders", List.of("shop")),
                        new IndexCandidate("orders", List.of("id")),
                        new IndexCandidate("orders", List.of("status", "shop", "created_at")));
    }

    @Test
    void aSortAfterAnEqualityMakesACandidateAndASingleColumnMakesNoneBeyondItself() {
        assertThat(CandidateExtractor.candidates(
                "SELECT * FROM events e WHERE e.member_id = $1 ORDER BY e.at DESC LIMIT 20"))
                .contains(new IndexCandidate("events", List.of("member_id", "at")));
        assertThat(CandidateExtractor.candidates("SELECT * FROM events WHERE member_id IN (1, 2)"))
                .containsExactly(new IndexCandidate("events", List.of("member_id")));
    }

    @Test
    void eachTableOfAJoinGetsItsOwnCandidates() {
        assertThat(CandidateExtractor.candidates("""
                SELECT o.id FROM orders o JOIN customers c ON c.id = o.customer_id
                WHERE o.state = 'open' AND c.region = $1 AND o.total > 100"""))
                .contains(new IndexCandidate("orders", List.of("customer_id", "state", "total")))
                .contains(new IndexCandidate("customers", List.of("id", "region")));
    }
}
