package io.sluice.replicarouter.wire;

/** What POST /sql answers: one statement's result, or a batch's. */
public sealed interface SqlResponse permits QueryResult, BatchResult {
}
