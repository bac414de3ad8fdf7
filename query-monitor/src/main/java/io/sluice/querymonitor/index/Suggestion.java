package io.sluice.querymonitor.index;

import java.util.List;

/**
 * A candidate index. {@code verified} means HypoPG built it hypothetically and the estimated cost of at least one
 * fingerprint dropped by the configured fraction; the costs are that fingerprint's (the best one).
 */
public record Suggestion(String table, List<String> columns, String createStatement, boolean verified,
        Double costBefore, Double costAfter, Double costReduction, List<String> fingerprints) {
}
