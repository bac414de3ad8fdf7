package io.sluice.replicarouter.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.sluice.common.sql.Classification;
import io.sluice.common.sql.Token;

/**
 * One HTTP request is one database session: nothing it does may be seen by the next request that gets the same
 * pooled connection. This decides, per statement text, what running it could leave behind (see
 * {@link SessionEffect}): statements whose whole point is session state are refused with the alternative; plain
 * reads that call only built-in functions leave nothing; everything else may leave something the text does not
 * show (a trigger, a function calling set_config or taking a session lock), so its connection is reset after it.
 * Conservative by design: a wrong RESET costs a few microseconds on the server, a wrong NONE leaks state.
 */
public final class SessionPolicy {

    private static final String USE_A_BATCH = "send the statements together as one \"queries\" batch: a batch is "
            + "one transaction (Neon-Batch-Isolation-Level, -Read-Only and -Deferrable set its mode)";
    private static final String USE_SET_LOCAL = "use SET LOCAL inside a \"queries\" batch (it ends with the "
            + "transaction), or the Sluice-Statement-Timeout header for statement_timeout";
    private static final String ALREADY_CLEAN = "every request already starts with a clean session";
    private static final String USE_PARAMS = "send the statement with \"params\": the router prepares it and binds "
            + "the values itself";

    /** Words that may precede "(" without being a function call, and built-ins that change no session state. */
    private static final Set<String> NEUTRAL_CALLS = Set.of(
            // syntax
            "in", "exists", "values", "as", "on", "using", "and", "or", "not", "where", "select", "any", "all",
            "some", "cast", "over", "filter", "row", "array", "lateral", "join", "from", "returning", "case",
            "when", "then", "else", "is", "between", "like", "ilike", "having", "limit", "offset", "by", "distinct",
            "within", "union", "intersect", "except", "with", "recursive", "materialized", "grouping", "rollup",
            "cube", "sets", "fetch", "only", "similar", "to", "escape", "collate", "at", "zone",
            // aggregates and window functions
            "count", "sum", "avg", "min", "max", "array_agg", "string_agg", "json_agg", "jsonb_agg",
            "json_object_agg", "jsonb_object_agg", "bool_and", "bool_or", "every", "stddev", "variance",
            "percentile_cont", "percentile_disc", "mode", "row_number", "rank", "dense_rank", "percent_rank",
            "cume_dist", "ntile", "lag", "lead", "first_value", "last_value", "nth_value",
            // conditional, string, math
            "coalesce", "nullif", "greatest", "least", "lower", "upper", "initcap", "length", "char_length",
            "octet_length", "substr", "substring", "trim", "btrim", "ltrim", "rtrim", "concat", "concat_ws",
            "replace", "split_part", "position", "strpos", "left", "right", "lpad", "rpad", "repeat", "reverse",
            "format", "regexp_replace", "regexp_match", "regexp_matches", "regexp_split_to_array", "starts_with",
            "md5", "encode", "decode", "to_hex", "quote_ident", "quote_literal", "abs", "round", "ceil", "ceiling",
            "floor", "trunc", "mod", "power", "sqrt", "ln", "log", "exp", "sign", "div", "width_bucket",
            "random", "gen_random_uuid",
            // time
            "now", "clock_timestamp", "statement_timestamp", "transaction_timestamp", "date_trunc", "date_part",
            "extract", "to_char", "to_date", "to_timestamp", "to_number", "age", "make_date", "make_time",
            "make_timestamp", "make_timestamptz", "make_interval", "timezone", "date_bin", "isfinite",
            // arrays and JSON
            "array_length", "array_to_string", "array_position", "array_remove", "array_append", "array_cat",
            "cardinality", "unnest", "generate_series", "json_build_object", "jsonb_build_object",
            "json_build_array", "jsonb_build_array", "to_json", "to_jsonb", "row_to_json", "jsonb_set",
            "jsonb_insert", "jsonb_extract_path", "jsonb_extract_path_text", "json_extract_path",
            "json_extract_path_text", "jsonb_array_elements", "jsonb_array_elements_text", "json_array_elements",
            "jsonb_array_length", "json_array_length", "jsonb_each", "jsonb_each_text", "json_each",
            "jsonb_object_keys", "jsonb_typeof", "jsonb_strip_nulls", "jsonb_path_query", "jsonb_path_exists",
            // type-named conversions and read-only introspection
            "int", "int2", "int4", "int8", "integer", "bigint", "numeric", "text", "varchar", "bool", "date",
            "float4", "float8", "current_setting", "pg_sleep", "pg_is_in_recovery", "pg_last_wal_replay_lsn",
            "pg_current_wal_lsn", "pg_backend_pid", "version", "pg_typeof", "pg_column_size");

    private static final Set<String> SESSION_LOCKS = Set.of("pg_advisory_lock", "pg_advisory_lock_shared",
            "pg_try_advisory_lock", "pg_try_advisory_lock_shared");

    private SessionPolicy() {
    }

    /**
     * @param tokens the statement's tokens without comments
     * @param inBatch whether the statement runs inside a batch's transaction (SAVEPOINT, SET LOCAL and
     *        ON COMMIT DROP temp tables are then confined to it)
     */
    public static SessionEffect of(List<Token> tokens, Classification classification, boolean inBatch) {
        List<String> words = leadingWords(tokens, 4);
        if (words.isEmpty()) {
            return SessionEffect.RESET;
        }
        SessionEffect byCommand = byCommand(words, tokens, inBatch);
        if (byCommand != null) {
            return byCommand;
        }
        SessionEffect byCalls = byFunctionCalls(tokens);
        if (byCalls.refused()) {
            return byCalls;
        }
        return classification.readOnly() && byCalls == SessionEffect.NONE ? SessionEffect.NONE : SessionEffect.RESET;
    }

    /** The answer decided by the statement's leading keywords alone, or null. */
    private static SessionEffect byCommand(List<String> w, List<Token> tokens, boolean inBatch) {
        String second = w.size() > 1 ? w.get(1) : "";
        return switch (w.get(0)) {
            case "begin", "start" -> SessionEffect.refused("transaction control (" + w.get(0).toUpperCase() + ")",
                    USE_A_BATCH);
            case "commit", "end", "abort" -> SessionEffect.refused("transaction control (" + w.get(0).toUpperCase()
                    + ")", USE_A_BATCH);
            case "rollback" -> inBatch && w.contains("to") ? SessionEffect.NONE
                    : SessionEffect.refused("transaction control (ROLLBACK)", inBatch
                            ? "let the batch end: a failing statement rolls the whole batch back"
                            : USE_A_BATCH);
            case "savepoint", "release" -> inBatch ? SessionEffect.NONE
                    : SessionEffect.refused("a savepoint outside a transaction", USE_A_BATCH);
            case "prepare" -> "transaction".equals(second)
                    ? SessionEffect.refused("two-phase commit (PREPARE TRANSACTION)",
                            "commit the batch as one transaction; two-phase commit needs a session of its own")
                    : SessionEffect.refused("a prepared statement (PREPARE)", USE_PARAMS);
            case "execute", "deallocate" -> SessionEffect.refused("a prepared statement ("
                    + w.get(0).toUpperCase() + ")", USE_PARAMS);
            case "set" -> switch (second) {
                // Confined to the transaction (outside one, PostgreSQL only warns and ignores them).
                case "local", "transaction", "constraints" -> SessionEffect.NONE;
                default -> SessionEffect.refused("a session setting (SET " + String.join(" ", w.subList(1,
                        Math.min(w.size(), 3))).toUpperCase() + ")", USE_SET_LOCAL);
            };
            case "reset", "discard" -> SessionEffect.refused("a session reset (" + w.get(0).toUpperCase() + ")",
                    ALREADY_CLEAN);
            case "listen", "unlisten" -> SessionEffect.refused("notifications (" + w.get(0).toUpperCase() + ")",
                    "notifications are not delivered over HTTP; listen on a direct connection");
            case "load" -> SessionEffect.refused("loading a library into the session (LOAD)",
                    "add the library to shared_preload_libraries or session_preload_libraries");
            case "declare" -> hasPair(tokens, "with", "hold")
                    ? SessionEffect.refused("a cursor WITH HOLD",
                            "DECLARE the cursor without WITH HOLD and FETCH from it in the same \"queries\" batch")
                    : SessionEffect.RESET;
            case "create" -> isTemporary(w) ? temporaryObject(tokens, inBatch) : null;
            default -> intoTemporary(tokens) ? temporaryObject(tokens, inBatch) : null;
        };
    }

    private static SessionEffect temporaryObject(List<Token> tokens, boolean inBatch) {
        boolean dropsAtCommit = hasPair(tokens, "commit", "drop");
        return inBatch && dropsAtCommit ? SessionEffect.RESET
                : SessionEffect.refused("a temporary object, which outlives the request",
                        "in a \"queries\" batch, use CREATE TEMP TABLE ... ON COMMIT DROP");
    }

    /** NONE when every call is a session-neutral built-in; REFUSED for session locks and set_config(.., false). */
    private static SessionEffect byFunctionCalls(List<Token> tokens) {
        SessionEffect effect = SessionEffect.NONE;
        for (int i = 0; i + 1 < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (!tokens.get(i + 1).text().equals("(")) {
                continue;
            }
            if (t.kind() == Token.Kind.QUOTED_IDENTIFIER) {
                effect = SessionEffect.RESET;
                continue;
            }
            if (t.kind() != Token.Kind.WORD) {
                continue;
            }
            String name = t.lower();
            if (SESSION_LOCKS.contains(name)) {
                return SessionEffect.refused("a session advisory lock (" + name + ")",
                        "use pg_advisory_xact_lock or pg_try_advisory_xact_lock inside a \"queries\" batch: "
                                + "they are released at commit");
            }
            if (name.equals("set_config") && isWord(argument(tokens, i + 1, 2), "false")) {
                return SessionEffect.refused("a session setting (set_config(..., false))",
                        "use set_config(name, value, true) or SET LOCAL inside a \"queries\" batch");
            }
            if (!NEUTRAL_CALLS.contains(name) || isQualifiedOutsideCatalog(tokens, i)) {
                effect = SessionEffect.RESET;
            }
        }
        return effect;
    }

    /** A call written schema.fn(...) in a schema other than pg_catalog may be a user function of any name. */
    private static boolean isQualifiedOutsideCatalog(List<Token> tokens, int i) {
        return i >= 2 && tokens.get(i - 1).text().equals(".") && !tokens.get(i - 2).isWord("pg_catalog");
    }

    /** The tokens of the {@code index}-th top-level argument of the call whose "(" is at {@code open}. */
    private static List<Token> argument(List<Token> tokens, int open, int index) {
        List<Token> arg = new ArrayList<>();
        int depth = 0;
        int current = 0;
        for (int i = open + 1; i < tokens.size(); i++) {
            String text = tokens.get(i).text();
            if (text.equals("(")) {
                depth++;
            } else if (text.equals(")")) {
                if (depth-- == 0) {
                    break;
                }
            } else if (text.equals(",") && depth == 0) {
                current++;
                continue;
            }
            if (current == index) {
                arg.add(tokens.get(i));
            }
        }
        return arg;
    }

    private static boolean isWord(List<Token> arg, String word) {
        return arg.size() == 1 && arg.get(0).isWord(word);
    }

    private static boolean isTemporary(List<String> w) {
        return w.contains("temp") || w.contains("temporary");
    }

    /** SELECT ... INTO TEMP t makes a temporary table too. */
    private static boolean intoTemporary(List<Token> tokens) {
        return hasPair(tokens, "into", "temp") || hasPair(tokens, "into", "temporary");
    }

    private static boolean hasPair(List<Token> tokens, String first, String second) {
        for (int i = 0; i + 1 < tokens.size(); i++) {
            if (tokens.get(i).isWord(first) && tokens.get(i + 1).isWord(second)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> leadingWords(List<Token> tokens, int max) {
        List<String> words = new ArrayList<>(max);
        for (Token t : tokens) {
            if (t.kind() != Token.Kind.WORD || words.size() == max) {
                break;
            }
            words.add(t.lower());
        }
        return words;
    }
}
