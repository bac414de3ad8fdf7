package io.sluice.partitionmanager.api;

import java.util.UUID;

import io.sluice.partitionmanager.archive.Restored;

/** The restored table, its row count and row digest, both checked against the manifest before commit. */
public record RestoreResponse(UUID archive, String table, long rows, String contentDigest, boolean verified) {

    public static RestoreResponse of(Restored r) {
        return new RestoreResponse(r.archive(), r.table(), r.rows(), r.contentDigest(), r.verified());
    }
}
