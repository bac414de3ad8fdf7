package io.sluice.partitionmanager.archive;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What an archive holds: the partition, its bounds (as PostgreSQL printed them), row count, columns, a hash of the
 * column list, the SHA-256 of the compressed file and an order-independent digest of the rows.
 */
public record ArchiveManifest(UUID id, String schema, String table, String partition, String from, String to,
        long rowCount, List<Column> columns, String schemaHash, String sha256, String contentDigest, String store,
        String location, String file, Instant createdAt, Instant restoredAt) {

    public record Column(String name, String type) {
    }
}
