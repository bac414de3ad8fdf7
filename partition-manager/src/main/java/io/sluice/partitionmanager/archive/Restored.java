package io.sluice.partitionmanager.archive;

import java.util.UUID;

/** The restored table, its row count and row digest, both checked against the manifest before commit. */
public record Restored(UUID archive, String table, long rows, String contentDigest, boolean verified) {
}
