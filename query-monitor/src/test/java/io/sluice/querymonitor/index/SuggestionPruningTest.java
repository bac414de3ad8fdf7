package io.sluice.querymonitor.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class SuggestionPruningTest {

    private static Suggestion s(List<String> columns, Double after, String... fingerprints) {
        return new Suggestion("public.t", columns, "CREATE INDEX CONCURRENTLY ...", after != null, after == null ? null
                : 100.0, after, after == null ? null : 1 - after / 100, List.of(fingerprints));
    }

    @Test
    void aLongerIndexThatServesTheSameStatementsNoWorseReplacesItsPrefix() {
        Suggestion single = s(List.of("a"), 20.0, "f1");
        Suggestion pair = s(List.of("a", "b"), 5.0, "f1", "f2");
        Suggestion other = s(List.of("b"), 30.0, "f2");
        assertThat(SuggestionPruning.withoutPrefixes(List.of(single, pair, other))).containsExactly(pair, other);
    }

    @Test
    void thePrefixStaysWhenItHelpsMoreStatementsOrCostsLess() {
        Suggestion wider = s(List.of("a"), 20.0, "f1", "f3");
        Suggestion pair = s(List.of("a", "b"), 5.0, "f1");
        assertThat(SuggestionPruning.withoutPrefixes(List.of(wider, pair))).containsExactly(wider, pair);

        Suggestion cheaper = s(List.of("a"), 4.0, "f1");
        assertThat(SuggestionPruning.withoutPrefixes(List.of(cheaper, pair))).containsExactly(cheaper, pair);
    }

    @Test
    void unverifiedCandidatesArePrunedByPrefixAlone() {
        Suggestion single = s(List.of("a"), null, "f1");
        Suggestion pair = s(List.of("a", "b"), null, "f1");
        assertThat(SuggestionPruning.withoutPrefixes(List.of(single, pair))).containsExactly(pair);
    }
}
