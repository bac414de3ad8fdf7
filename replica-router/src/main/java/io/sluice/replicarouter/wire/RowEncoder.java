package io.sluice.replicarouter.wire;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.sqlclient.desc.ColumnDescriptor;

/** Shapes a RowSet as Neon's result: fields with type OIDs, rows as arrays or objects, values as text. */
public final class RowEncoder {

    private static final java.util.Set<String> COUNTED =
            java.util.Set.of("SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "COPY", "FETCH", "MOVE");

    private RowEncoder() {
    }

    public static QueryResult encode(RowSet<Row> rows, String command, ResultFormat format) {
        // The Mutiny wrapper fails on statements without columns; the delegate answers null.
        List<ColumnDescriptor> described = rows.getDelegate().columnDescriptors();
        List<ColumnDescriptor> columns = described == null ? List.of() : described;
        List<QueryResult.Field> fields = columns.stream()
                .map(c -> QueryResult.Field.of(c.name(), PgTypes.oid(c.typeName()))).toList();
        List<Object> out = new ArrayList<>(rows.size());
        for (Row row : rows) {
            if (format.arrayMode()) {
                List<Object> values = new ArrayList<>(columns.size());
                for (int i = 0; i < columns.size(); i++) {
                    values.add(value(row.getValue(i), columns.get(i).typeName(), format));
                }
                out.add(values);
            } else {
                Map<String, Object> values = new LinkedHashMap<>();
                for (int i = 0; i < columns.size(); i++) {
                    values.put(columns.get(i).name(), value(row.getValue(i), columns.get(i).typeName(), format));
                }
                out.add(values);
            }
        }
        // Only these command tags carry a count; for the rest (CREATE, SET, ...) node-postgres reports null, and
        // the client's rowCount would otherwise be whatever the driver last parsed.
        Integer count = COUNTED.contains(command) ? rows.rowCount() : null;
        return new QueryResult(command, count, out, fields, format.arrayMode());
    }

    /** Raw text, or (without Neon-Raw-Text-Output) JSON types where JSON has them, as Neon's server does. */
    private static Object value(Object value, String typeName, ResultFormat format) {
        if (format.rawText() || value == null) {
            return PgTextEncoder.encode(value, typeName);
        }
        if (value instanceof Boolean || value instanceof Short || value instanceof Integer) {
            return value;
        }
        if ((value instanceof Double d && Double.isFinite(d)) || (value instanceof Float f && Float.isFinite(f))) {
            return value;
        }
        if (value instanceof JsonObject json) {
            return json.getMap();
        }
        if (value instanceof JsonArray json) {
            return json.getList();
        }
        return PgTextEncoder.encode(value, typeName);
    }
}
