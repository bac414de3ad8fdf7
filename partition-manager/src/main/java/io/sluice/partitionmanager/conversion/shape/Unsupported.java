package io.sluice.partitionmanager.conversion.shape;

/**
 * Something of the old table the new, partitioned one will not have as it is (PostgreSQL 15 cannot, or Sluice does
 * not, carry it), with what happens instead. A conversion starts only when the caller accepts each by {@code id}.
 */
public record Unsupported(String id, String object, String reason) {
}
