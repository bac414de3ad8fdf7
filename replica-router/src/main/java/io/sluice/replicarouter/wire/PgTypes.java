package io.sluice.replicarouter.wire;

import java.util.Map;

/**
 * PostgreSQL type OIDs by the reactive client's type name (ColumnDescriptor.typeName()), for the
 * {@code dataTypeID} the Neon driver parses values by. Types the client does not know (enums, domains,
 * extensions) arrive as text and are reported as text (25).
 */
public final class PgTypes {

    public static final int TEXT = 25;

    private static final Map<String, Integer> OIDS = Map.ofEntries(
            Map.entry("BOOL", 16), Map.entry("BYTEA", 17), Map.entry("CHAR", 18), Map.entry("NAME", 19),
            Map.entry("INT8", 20), Map.entry("INT2", 21), Map.entry("INT4", 23), Map.entry("TEXT", 25),
            Map.entry("OID", 26), Map.entry("JSON", 114), Map.entry("XML", 142), Map.entry("POINT", 600),
            Map.entry("LSEG", 601), Map.entry("PATH", 602), Map.entry("BOX", 603), Map.entry("POLYGON", 604),
            Map.entry("LINE", 628), Map.entry("CIDR", 650), Map.entry("FLOAT4", 700), Map.entry("FLOAT8", 701),
            Map.entry("CIRCLE", 718), Map.entry("MACADDR8", 774), Map.entry("MONEY", 790),
            Map.entry("MACADDR", 829), Map.entry("INET", 869), Map.entry("BPCHAR", 1042),
            Map.entry("VARCHAR", 1043), Map.entry("DATE", 1082), Map.entry("TIME", 1083),
            Map.entry("TIMESTAMP", 1114), Map.entry("TIMESTAMPTZ", 1184), Map.entry("INTERVAL", 1186),
            Map.entry("TIMETZ", 1266), Map.entry("BIT", 1560), Map.entry("VARBIT", 1562),
            Map.entry("NUMERIC", 1700), Map.entry("UUID", 2950), Map.entry("VOID", 2278),
            Map.entry("TS_VECTOR", 3614), Map.entry("TS_QUERY", 3615), Map.entry("JSONB", 3802),
            Map.entry("BOOL_ARRAY", 1000), Map.entry("BYTEA_ARRAY", 1001), Map.entry("CHAR_ARRAY", 1002),
            Map.entry("NAME_ARRAY", 1003), Map.entry("INT2_ARRAY", 1005), Map.entry("INT4_ARRAY", 1007),
            Map.entry("TEXT_ARRAY", 1009), Map.entry("BPCHAR_ARRAY", 1014), Map.entry("VARCHAR_ARRAY", 1015),
            Map.entry("INT8_ARRAY", 1016), Map.entry("POINT_ARRAY", 1017), Map.entry("FLOAT4_ARRAY", 1021),
            Map.entry("FLOAT8_ARRAY", 1022), Map.entry("MONEY_ARRAY", 791), Map.entry("OID_ARRAY", 1028),
            Map.entry("TIMESTAMP_ARRAY", 1115), Map.entry("DATE_ARRAY", 1182), Map.entry("TIME_ARRAY", 1183),
            Map.entry("TIMESTAMPTZ_ARRAY", 1185), Map.entry("INTERVAL_ARRAY", 1187),
            Map.entry("NUMERIC_ARRAY", 1231), Map.entry("TIMETZ_ARRAY", 1270), Map.entry("UUID_ARRAY", 2951),
            Map.entry("JSON_ARRAY", 199), Map.entry("JSONB_ARRAY", 3807), Map.entry("INET_ARRAY", 1041),
            Map.entry("CIDR_ARRAY", 651), Map.entry("BIT_ARRAY", 1561), Map.entry("VARBIT_ARRAY", 1563),
            Map.entry("XML_ARRAY", 143));

    private PgTypes() {
    }

    public static int oid(String typeName) {
        return OIDS.getOrDefault(typeName, TEXT);
    }

    public static boolean isJson(String typeName) {
        return typeName.startsWith("JSON");
    }
}
