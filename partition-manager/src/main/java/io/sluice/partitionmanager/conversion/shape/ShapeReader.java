package io.sluice.partitionmanager.conversion.shape;

import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.partitionmanager.conversion.shape.TableShape.Column;
import io.sluice.partitionmanager.conversion.shape.TableShape.Constraint;
import io.sluice.partitionmanager.conversion.shape.TableShape.Dependent;
import io.sluice.partitionmanager.conversion.shape.TableShape.Grant;
import io.sluice.partitionmanager.conversion.shape.TableShape.IncomingKey;
import io.sluice.partitionmanager.conversion.shape.TableShape.Index;
import io.sluice.partitionmanager.conversion.shape.TableShape.Policy;
import io.sluice.partitionmanager.conversion.shape.TableShape.Trigger;

/** Reads a table's {@link TableShape} from the catalog (PostgreSQL 15); the same reader serves old and new tables. */
@ApplicationScoped
public class ShapeReader {

    private static final String TABLE = """
            SELECT n.nspname, c.relname, format('%I.%I', n.nspname, c.relname), quote_ident(pg_get_userbyid(c.relowner)),
                   c.relkind, c.relpersistence, c.relispartition,
                   EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid OR i.inhparent = c.oid),
                   c.relreplident, c.relrowsecurity, c.relforcerowsecurity, c.reloptions IS NOT NULL,
                   (SELECT spcname FROM pg_tablespace WHERE oid = c.reltablespace),
                   quote_literal(obj_description(c.oid, 'pg_class'))
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = ?""";

    private static final String COLUMNS = """
            SELECT a.attname, quote_ident(a.attname), format_type(a.atttypid, a.atttypmod), a.attnotnull,
                   pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated, a.attstattarget,
                   quote_literal(col_description(a.attrelid, a.attnum)),
                   s.seq, (SELECT relname FROM pg_class WHERE oid = s.seq::regclass),
                   CASE WHEN a.attidentity <> '' THEN pg_sequence_last_value(s.seq::regclass) END
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            LEFT JOIN LATERAL (SELECT pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname) AS seq) s
              ON true
            WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum""";

    private static final String INDEXES = """
            SELECT ic.relname, quote_ident(ic.relname), pg_get_indexdef(i.indexrelid), i.indisprimary, i.indisunique,
                   i.indisreplident, i.indnullsnotdistinct, con.contype, con.conname, coalesce(con.condeferrable, false),
                   coalesce(con.condeferred, false),
                   (SELECT array_agg(CASE WHEN k.n = 0 THEN NULL ELSE quote_ident(a.attname) END ORDER BY k.o)
                      FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(n, o)
                      LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n),
                   (SELECT array_agg(a.attname ORDER BY k.o) FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(n, o)
                      LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n),
                   i.indnkeyatts, array_to_string(ic.reloptions, ', '),
                   (SELECT spcname FROM pg_tablespace WHERE oid = ic.reltablespace),
                   quote_literal(obj_description(i.indexrelid, 'pg_class')),
                   quote_literal(obj_description(con.oid, 'pg_constraint'))
            FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
            LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid
              AND con.contype IN ('p', 'u', 'x')
            WHERE i.indrelid = ? ORDER BY ic.relname""";

    private static final String CONSTRAINTS = """
            SELECT conname, quote_ident(conname), contype, pg_get_constraintdef(oid), connoinherit, convalidated,
                   contype = 'f' AND confrelid = conrelid, quote_literal(obj_description(oid, 'pg_constraint'))
            FROM pg_constraint WHERE conrelid = ? AND contype IN ('c', 'f', 'x') ORDER BY conname""";

    private static final String INCOMING = """
            SELECT con.conname, quote_ident(con.conname), format('%I.%I', n.nspname, c.relname), c.relkind = 'p',
                   pg_get_constraintdef(con.oid),
                   (SELECT array_agg(a.attname ORDER BY k.o) FROM unnest(con.confkey) WITH ORDINALITY k(n, o)
                      JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n),
                   quote_literal(obj_description(con.oid, 'pg_constraint'))
            FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE con.contype = 'f' AND con.confrelid = ? AND con.conparentid = 0 AND con.conrelid <> con.confrelid
            ORDER BY 3, 1""";

    private static final String TRIGGERS = """
            SELECT tgname, quote_ident(tgname), pg_get_triggerdef(oid), tgenabled,
                   (tgoldtable IS NOT NULL OR tgnewtable IS NOT NULL) AND (tgtype & 1) = 1,
                   quote_literal(obj_description(oid, 'pg_trigger'))
            FROM pg_trigger WHERE tgrelid = ? AND NOT tgisinternal AND tgparentid = 0 ORDER BY tgname""";

    private static final String POLICIES = """
            SELECT p.polname, quote_ident(p.polname), p.polpermissive,
                   CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE'
                     WHEN 'd' THEN 'DELETE' ELSE 'ALL' END,
                   CASE WHEN p.polroles = '{0}' THEN 'PUBLIC' ELSE (SELECT string_agg(quote_ident(r.rolname), ', '
                     ORDER BY r.rolname) FROM pg_roles r WHERE r.oid = ANY (p.polroles)) END,
                   pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid),
                   quote_literal(obj_description(p.oid, 'pg_policy'))
            FROM pg_policy p WHERE p.polrelid = ? ORDER BY p.polname""";

    /** Table, column and identity-sequence privileges (grantor left out: it is whoever granted, not a property). */
    private static final String GRANTS = """
            SELECT CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END, g.privilege_type,
                   g.is_grantable, g.col, g.seq_of
            FROM (
              SELECT x.grantee, x.privilege_type, x.is_grantable, NULL::text AS col, NULL::text AS seq_of
              FROM pg_class c, aclexplode(c.relacl) x WHERE c.oid = ?
              UNION ALL
              SELECT x.grantee, x.privilege_type, x.is_grantable, quote_ident(a.attname), NULL
              FROM pg_attribute a, aclexplode(a.attacl) x WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped
              UNION ALL
              SELECT x.grantee, x.privilege_type, x.is_grantable, NULL, a.attname
              FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
              CROSS JOIN LATERAL (SELECT pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname)
                AS seq) s
              JOIN pg_class sc ON sc.oid = s.seq::regclass, aclexplode(sc.relacl) x
              WHERE a.attrelid = ? AND a.attidentity <> '' AND NOT a.attisdropped) g
            LEFT JOIN pg_roles r ON r.oid = g.grantee
            ORDER BY 4 NULLS FIRST, 5 NULLS FIRST, 1, 2""";

    private static final String DEPENDENTS = """
            SELECT 'statistics', format('%I.%I', n.nspname, s.stxname) FROM pg_statistic_ext s
              JOIN pg_namespace n ON n.oid = s.stxnamespace WHERE s.stxrelid = ?
            UNION ALL
            SELECT 'rule', quote_ident(rulename) FROM pg_rewrite WHERE ev_class = ? AND rulename <> '_RETURN'
            UNION ALL
            SELECT 'publication', quote_ident(p.pubname) FROM pg_publication_rel r
              JOIN pg_publication p ON p.oid = r.prpubid WHERE r.prrelid = ?
            UNION ALL
            SELECT DISTINCT CASE v.relkind WHEN 'm' THEN 'materialized-view' ELSE 'view' END,
                   format('%I.%I', n.nspname, v.relname)
            FROM pg_depend d JOIN pg_rewrite w ON w.oid = d.objid JOIN pg_class v ON v.oid = w.ev_class
            JOIN pg_namespace n ON n.oid = v.relnamespace
            WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass AND d.refobjid = ?
              AND v.oid <> ?
            ORDER BY 1, 2""";

    public TableShape read(Connection c, long oid) throws SQLException {
        try (var st = c.prepareStatement(TABLE)) {
            st.setLong(1, oid);
            try (var rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("relation " + oid + " is gone", "42P01");
                }
                return new TableShape(oid, rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5).charAt(0), rs.getString(6).charAt(0), rs.getBoolean(7), rs.getBoolean(8),
                        rs.getString(9).charAt(0), rs.getBoolean(10), rs.getBoolean(11), rs.getBoolean(12),
                        rs.getString(13), rs.getString(14), columns(c, oid), indexes(c, oid), constraints(c, oid),
                        incoming(c, oid), triggers(c, oid), policies(c, oid), grants(c, oid), dependents(c, oid));
            }
        }
    }

    private static List<Column> columns(Connection c, long oid) throws SQLException {
        return list(c, COLUMNS, oid, 1, rs -> new Column(rs.getString(1), rs.getString(2), rs.getString(3),
                rs.getBoolean(4), rs.getString(5), flag(rs, 6), flag(rs, 7), rs.getInt(8), rs.getString(9),
                rs.getString(10), rs.getString(11), (Long) rs.getObject(12)));
    }

    private static List<Index> indexes(Connection c, long oid) throws SQLException {
        return list(c, INDEXES, oid, 1, rs -> {
            List<String> printed = strings(rs.getArray(12));
            List<String> raw = strings(rs.getArray(13));
            int keys = rs.getInt(14);
            String type = rs.getString(8);
            return new Index(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), rs.getBoolean(5),
                    rs.getBoolean(6), rs.getBoolean(7), type == null ? null : type.charAt(0), rs.getString(9),
                    rs.getBoolean(10), rs.getBoolean(11), printed.subList(0, keys), raw.subList(0, keys),
                    printed.subList(keys, printed.size()), rs.getString(15), rs.getString(16), rs.getString(17),
                    rs.getString(18));
        });
    }

    private static List<Constraint> constraints(Connection c, long oid) throws SQLException {
        return list(c, CONSTRAINTS, oid, 1, rs -> new Constraint(rs.getString(1), rs.getString(2),
                rs.getString(3).charAt(0), rs.getString(4), rs.getBoolean(5), rs.getBoolean(6), rs.getBoolean(7),
                rs.getString(8)));
    }

    private static List<IncomingKey> incoming(Connection c, long oid) throws SQLException {
        return list(c, INCOMING, oid, 1, rs -> new IncomingKey(rs.getString(1), rs.getString(2), rs.getString(3),
                rs.getBoolean(4), rs.getString(5), strings(rs.getArray(6)), rs.getString(7)));
    }

    private static List<Trigger> triggers(Connection c, long oid) throws SQLException {
        return list(c, TRIGGERS, oid, 1, rs -> new Trigger(rs.getString(1), rs.getString(2), rs.getString(3),
                flag(rs, 4), rs.getBoolean(5), rs.getString(6)));
    }

    private static List<Policy> policies(Connection c, long oid) throws SQLException {
        return list(c, POLICIES, oid, 1, rs -> new Policy(rs.getString(1), rs.getString(2), rs.getBoolean(3),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)));
    }

    private static List<Grant> grants(Connection c, long oid) throws SQLException {
        return list(c, GRANTS, oid, 3, rs -> new Grant(rs.getString(1), rs.getString(2), rs.getBoolean(3),
                rs.getString(4), rs.getString(5)));
    }

    private static List<Dependent> dependents(Connection c, long oid) throws SQLException {
        return list(c, DEPENDENTS, oid, 5, rs -> new Dependent(rs.getString(1), rs.getString(2)));
    }

    private interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private static <T> List<T> list(Connection c, String sql, long oid, int oidParameters, RowMapper<T> mapper)
            throws SQLException {
        List<T> all = new ArrayList<>();
        try (var st = c.prepareStatement(sql)) {
            for (int i = 1; i <= oidParameters; i++) {
                st.setLong(i, oid);
            }
            try (var rs = st.executeQuery()) {
                while (rs.next()) {
                    all.add(mapper.map(rs));
                }
            }
        }
        return all;
    }

    private static char flag(ResultSet rs, int column) throws SQLException {
        String s = rs.getString(column);
        return s == null || s.isEmpty() ? ' ' : s.charAt(0);
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
