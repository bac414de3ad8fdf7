package io.sluice.replicarouter.wire;

import java.util.List;

/** The results of a batch (one transaction), in the order of its queries. */
public record BatchResult(List<QueryResult> results) implements SqlResponse {
}
