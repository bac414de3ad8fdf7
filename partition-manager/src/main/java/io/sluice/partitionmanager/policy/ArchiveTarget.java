package io.sluice.partitionmanager.policy;

/** Where a set's archives go: a store by name ("file") and its location (a directory for the file store). */
public record ArchiveTarget(String store, String path) {
}
