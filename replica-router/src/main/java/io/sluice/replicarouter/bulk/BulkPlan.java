package io.sluice.replicarouter.bulk;

import java.util.ArrayList;
import java.util.List;

import io.sluice.replicarouter.sql.Statement;

/** A validated bulk request: the statement, its rows as text parameters, and how to run them. */
public record BulkPlan(Statement statement, List<List<String>> rows, int chunkSize, int parallelism,
        String isolation, BulkMode mode) {

    public boolean readOnly() {
        return statement.classification().readOnly();
    }

    public int width() {
        return rows.get(0).size();
    }

    public List<Chunk> chunks() {
        List<Chunk> chunks = new ArrayList<>();
        for (int first = 0, i = 0; first < rows.size(); first += chunkSize, i++) {
            int end = Math.min(first + chunkSize, rows.size());
            chunks.add(new Chunk(i, first, end - 1, rows.subList(first, end)));
        }
        return chunks;
    }
}
