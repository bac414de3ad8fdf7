package io.sluice.replicarouter.bulk;

import java.util.List;

/** Consecutive parameter rows [firstRow, lastRow] (0-based, inclusive) of a bulk request, run as one batch. */
public record Chunk(int index, int firstRow, int lastRow, List<List<String>> rows) {
}
