package io.sluice.replicarouter.wire;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.sqlclient.desc.ColumnDescriptor;

/** Shapes rows as Neon's result: fields with type OIDs, rows as arrays or objects, values as text. */
public final class RowEncoder {

    private static final Set<String> COUNTED = Set.of("SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "COPY",
            "FETCH", "MOVE");

    private RowEncoder() {
    }

    public static QueryResult encode(RowSet<Row> rows, String command, ResultFormat format) {
        List<Object[]> values = new ArrayList<>(rows.size());
        for (Row row : rows) {
            Object[] v = new Object[row.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = row.getValue(i);
            }
            values.add(v);
        }
        // The Mutiny wrapper fails on statements without columns; the delegate answers null.
        return encode(rows.getDelegate().columnDescriptors(), values, rows.rowCount(), command, format);
    }

    /**
     * @param described the result's columns, null for a statement without any
     * @param values each row's values as the reactive client decoded them
     * @param rowCount the rows returned or changed, as the command tag says
     */
    public static QueryResult encode(List<ColumnDescriptor> described, List<Object[]> values, int rowCount,
            String command, ResultFormat format) {
        List<ColumnDescriptor> columns = described == null ? List.of() : described;
        List<QueryResult.Field> fields = columns.stream()
                .map(c -> QueryResult.Field.of(c.name(), PgTypes.oid(c.typeName()))).toList();
        List<Object> out = new ArrayList<>(values.size());
        for (Object[] row : values) {
            if (format.arrayMode()) {
                List<Object> encoded = new ArrayList<>(columns.size());
                for (int i = 0; i < columns.size(); i++) {
                    encoded.add(value(row[i], columns.get(i).typeName(), format));
                }
                out.add(encoded);
            } else {
                Map<String, Object> encoded = new LinkedHashMap<>();
                for (int i = 0; i < columns.size(); i++) {
                    encoded.put(columns.get(i).name(), value(row[i], columns.get(i).typeName(), format));
                }
                out.add(encoded);
            }
        }
        // Only these command tags carry a count; for the rest (CREATE, SET, ...) node-postgres reports null, and
        // the client's rowCount would otherwise be whatever the driver last parsed.
        Integer count = COUNTED.contains(command) ? rowCount : null;
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
