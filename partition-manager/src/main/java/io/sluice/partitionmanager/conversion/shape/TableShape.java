package io.sluice.partitionmanager.conversion.shape;

import java.util.List;
import java.util.Optional;

/**
 * Everything about a table that a conversion carries over or must refuse, as the catalog has it. Names come twice
 * where SQL needs them: raw ({@code name}) and as PostgreSQL prints them ({@code printed}, quote_ident), so
 * definitions printed by pg_get_*def can be taken apart exactly; comments are SQL literals (quote_literal) or null.
 */
public record TableShape(long oid, String schema, String name, String printed, String owner, char kind,
        char persistence, boolean isPartition, boolean inherits, char replicaIdentity, boolean rowSecurity,
        boolean forceRowSecurity, boolean hasStorageParameters, String tablespace, String comment,
        List<Column> columns, List<Index> indexes, List<Constraint> constraints, List<IncomingKey> incoming,
        List<Trigger> triggers, List<Policy> policies, List<Grant> grants, List<Dependent> dependents) {

    /**
     * identity: 'a' ALWAYS, 'd' BY DEFAULT, ' ' none; generated: 's' stored, ' ' none; statistics -1 = default.
     * {@code sequence}: the identity or owned (serial) sequence, qualified as PostgreSQL prints it, and its bare
     * name; {@code sequenceLast}: an identity sequence's last value, null before its first use.
     */
    public record Column(String name, String printed, String type, boolean notNull, String defaultExpr,
            char identity, char generated, int statistics, String comment, String sequence, String sequenceName,
            Long sequenceLast) {

        public boolean isIdentity() {
            return identity == 'a' || identity == 'd';
        }

        public boolean isGenerated() {
            return generated == 's';
        }
    }

    /**
     * An index; {@code constraintType} is 'p', 'u' or 'x' when a constraint owns it (then {@code constraintName}).
     * {@code keys}/{@code includes} are printed column names (null for an expression); {@code keyNames} raw ones.
     */
    public record Index(String name, String printed, String definition, boolean primary, boolean unique,
            boolean replicaIdentity, boolean nullsNotDistinct, Character constraintType, String constraintName,
            boolean deferrable, boolean deferred, List<String> keys, List<String> keyNames, List<String> includes,
            String options, String tablespace, String comment, String constraintComment) {

        public boolean isConstraint() {
            return constraintType != null;
        }
    }

    /** A check ('c'), foreign ('f') or exclusion ('x') constraint of the table itself (primary/unique: see Index). */
    public record Constraint(String name, String printed, char type, String definition, boolean noInherit,
            boolean validated, boolean selfReference, String comment) {
    }

    /** A foreign key of another table that references this one. */
    public record IncomingKey(String name, String printed, String table, boolean fromPartitioned, String definition,
            List<String> referencedColumns, String comment) {
    }

    /** rowTransition: a FOR EACH ROW trigger with a transition table, which partitioned tables cannot have. */
    public record Trigger(String name, String printed, String definition, char enabled, boolean rowTransition,
            String comment) {
    }

    /** roles: printed role names joined by ", ", or PUBLIC. */
    public record Policy(String name, String printed, boolean permissive, String command, String roles, String using,
            String check, String comment) {
    }

    /**
     * A table privilege, a column one when {@code column} (printed) is set, or one on the identity sequence of the
     * column named {@code sequenceOf}.
     */
    public record Grant(String grantee, String privilege, boolean grantable, String column, String sequenceOf) {
    }

    /** Something that depends on the table and is not carried: statistics, rule, publication, view. */
    public record Dependent(String kind, String name) {
    }

    public Optional<Column> column(String raw) {
        return columns.stream().filter(c -> c.name().equals(raw)).findFirst();
    }

    /** The definition after the index's name and table ({@code USING btree (...) ... WHERE ...}). */
    public static String indexTail(Index index, String tablePrinted) {
        String prefix = "CREATE " + (index.unique() ? "UNIQUE " : "") + "INDEX " + index.printed() + " ON ";
        String def = index.definition();
        if (!def.startsWith(prefix)) {
            return null;
        }
        String rest = def.substring(prefix.length());
        rest = rest.startsWith("ONLY ") ? rest.substring(5) : rest;
        return rest.startsWith(tablePrinted + " USING ") ? rest.substring(tablePrinted.length() + 1) : null;
    }

    public Optional<Index> primaryKey() {
        return indexes.stream().filter(Index::primary).findFirst();
    }

    /** Columns an INSERT may name (generated ones are computed). */
    public List<Column> insertable() {
        return columns.stream().filter(c -> !c.isGenerated()).toList();
    }
}
