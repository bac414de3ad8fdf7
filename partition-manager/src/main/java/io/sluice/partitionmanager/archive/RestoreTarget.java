package io.sluice.partitionmanager.archive;

/** Where a restore puts the rows: the original partition, recreated and attached, or a new table {@code table}. */
public record RestoreTarget(boolean original, String table) {

    public static RestoreTarget originalPartition() {
        return new RestoreTarget(true, null);
    }

    /** {@code table}: schema.table, which must not exist. */
    public static RestoreTarget newTable(String table) {
        return new RestoreTarget(false, table);
    }
}
