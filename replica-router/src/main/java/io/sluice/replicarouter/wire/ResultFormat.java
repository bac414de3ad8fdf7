package io.sluice.replicarouter.wire;

/**
 * How rows are written: as arrays or objects (Neon-Array-Mode / "arrayMode"), and as PostgreSQL text
 * (Neon-Raw-Text-Output, what the Neon driver always asks for) or as JSON-typed values.
 */
public record ResultFormat(boolean arrayMode, boolean rawText) {

    public static final ResultFormat OBJECTS_AS_TEXT = new ResultFormat(false, true);
}
