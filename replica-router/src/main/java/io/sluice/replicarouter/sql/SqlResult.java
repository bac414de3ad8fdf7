package io.sluice.replicarouter.sql;

import java.util.List;
import java.util.Map;

/** A statement's outcome: the command tag, rows affected or returned, the rows and their columns. */
public record SqlResult(String command, int rowCount, List<Map<String, Object>> rows, List<Field> fields) {

    /** A result column. */
    public record Field(String name) {
    }
}
