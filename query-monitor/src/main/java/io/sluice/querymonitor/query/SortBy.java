package io.sluice.querymonitor.query;

import java.util.Comparator;
import java.util.Optional;

/** What the top-N list is ordered by, largest first. */
public enum SortBy {
    TOTAL("total", Comparator.comparingDouble(QueryStats::rankingTotalMs)),
    MEAN("mean", Comparator.comparingDouble(QueryStats::meanMs)),
    P95("p95", Comparator.comparingDouble(QueryStats::p95Ms)),
    CALLS("calls", Comparator.comparingLong(s -> s.calls() + s.statements().calls()));

    private final String label;
    private final Comparator<QueryStats> order;

    SortBy(String label, Comparator<QueryStats> ascending) {
        this.label = label;
        this.order = ascending.reversed().thenComparing(QueryStats::fingerprint);
    }

    public Comparator<QueryStats> order() {
        return order;
    }

    public static Optional<SortBy> parse(String label) {
        for (SortBy s : values()) {
            if (s.label.equals(label)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
