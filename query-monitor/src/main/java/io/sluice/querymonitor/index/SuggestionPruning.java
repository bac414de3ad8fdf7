package io.sluice.querymonitor.index;

import java.util.List;

/**
 * One index per need: a suggestion is dropped when another on the same table starts with all its columns (so it
 * serves the same lookups), helps every statement it helps, and, when both were verified, leaves them no costlier.
 */
final class SuggestionPruning {

    private SuggestionPruning() {
    }

    static List<Suggestion> withoutPrefixes(List<Suggestion> suggestions) {
        return suggestions.stream().filter(s -> suggestions.stream().noneMatch(longer -> supersedes(longer, s)))
                .toList();
    }

    static boolean supersedes(Suggestion longer, Suggestion s) {
        return longer != s && longer.table().equals(s.table())
                && longer.columns().size() > s.columns().size()
                && longer.columns().subList(0, s.columns().size()).equals(s.columns())
                && longer.fingerprints().containsAll(s.fingerprints())
                && longer.verified() == s.verified()
                && (!s.verified() || longer.costAfter() <= s.costAfter());
    }
}
