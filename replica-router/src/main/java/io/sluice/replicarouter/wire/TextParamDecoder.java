package io.sluice.replicarouter.wire;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.DecodeException;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.data.Numeric;

/**
 * Turns a parameter sent as text (the Neon driver sends every value as a string) into the Java value the reactive
 * client encodes for the parameter's PostgreSQL type. Bad input fails with PostgreSQL's own code and wording
 * (22P02 invalid_text_representation), so a client sees what the server would have said.
 */
public final class TextParamDecoder {

    private static final DateTimeFormatter DATE_TIME = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .appendPattern("HH:mm[:ss]").optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .optionalEnd().optionalStart().appendOffset("+HH:mm", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH", "Z").optionalEnd().toFormatter();
    private static final DateTimeFormatter TIME = new DateTimeFormatterBuilder().appendPattern("HH:mm[:ss]")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalStart().appendOffset("+HH:mm", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH", "Z").optionalEnd().toFormatter();

    private TextParamDecoder() {
    }

    /**
     * @param type the parameter's type as PostgreSQL names it (regtype output, e.g. "integer",
     *        "timestamp with time zone", "integer[]")
     */
    public static Object decode(String text, String type) {
        if (text == null) {
            return null;
        }
        if (type.endsWith("[]")) {
            return array(text, type.substring(0, type.length() - 2));
        }
        return scalar(text, type);
    }

    private static Object scalar(String text, String type) {
        String t = text.trim();
        try {
            return switch (type) {
                case "smallint" -> Short.parseShort(t);
                case "integer" -> Integer.parseInt(t);
                case "bigint", "oid" -> Long.parseLong(t);
                case "real" -> Float.parseFloat(floatText(t));
                case "double precision" -> Double.parseDouble(floatText(t));
                case "numeric" -> Numeric.parse(t);
                case "boolean" -> bool(t);
                case "uuid" -> UUID.fromString(t);
                case "date" -> LocalDate.parse(t);
                case "time without time zone" -> LocalTime.parse(t, TIME);
                case "time with time zone" -> OffsetTime.parse(t, TIME);
                case "timestamp without time zone" -> timestamp(t, s -> LocalDateTime.parse(s, DATE_TIME),
                        LocalDateTime.MAX, LocalDateTime.MIN);
                case "timestamp with time zone" -> timestamp(t, TextParamDecoder::offsetDateTime,
                        OffsetDateTime.MAX, OffsetDateTime.MIN);
                case "json", "jsonb" -> json(text);
                case "bytea" -> bytea(text);
                default -> text;
            };
        } catch (NumberFormatException | DateTimeParseException | DecodeException e) {
            throw invalid(type, text);
        } catch (IllegalArgumentException e) {
            throw invalid(type, text);
        }
    }

    private static String floatText(String t) {
        return switch (t.toLowerCase(Locale.ROOT)) {
            case "infinity", "+infinity", "inf" -> "Infinity";
            case "-infinity", "-inf" -> "-Infinity";
            case "nan" -> "NaN";
            default -> t;
        };
    }

    private static Boolean bool(String t) {
        return switch (t.toLowerCase(Locale.ROOT)) {
            case "t", "true", "y", "yes", "on", "1" -> true;
            case "f", "false", "n", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException(t);
        };
    }

    private static <T> T timestamp(String t, Function<String, T> parse, T max, T min) {
        return switch (t.toLowerCase(Locale.ROOT)) {
            case "infinity" -> max;
            case "-infinity" -> min;
            default -> parse.apply(t);
        };
    }

    /** Without an offset PostgreSQL reads the time in the session's zone, which Sluice keeps at UTC. */
    private static OffsetDateTime offsetDateTime(String t) {
        var parsed = DATE_TIME.parseBest(t, OffsetDateTime::from, LocalDateTime::from);
        return parsed instanceof OffsetDateTime odt ? odt : ((LocalDateTime) parsed).atOffset(java.time.ZoneOffset.UTC);
    }

    private static Object json(String text) {
        Object value = Json.decodeValue(text);
        return value == null ? Tuple.JSON_NULL : value;
    }

    private static Buffer bytea(String text) {
        if (text.startsWith("\\x")) {
            return Buffer.buffer(HexFormat.of().parseHex(text.substring(2)));
        }
        return Buffer.buffer(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A one-dimensional array literal {a,"b c",NULL}; elements decoded as the element type. */
    private static Object array(String text, String elementType) {
        List<String> elements = parseArrayLiteral(text, elementType);
        Object first = elements.stream().filter(java.util.Objects::nonNull).findFirst()
                .map(e -> scalar(e, elementType)).orElse("");
        Object array = Array.newInstance(first.getClass(), elements.size());
        for (int i = 0; i < elements.size(); i++) {
            Array.set(array, i, elements.get(i) == null ? null : scalar(elements.get(i), elementType));
        }
        return array;
    }

    private static List<String> parseArrayLiteral(String text, String elementType) {
        String t = text.trim();
        if (!t.startsWith("{") || !t.endsWith("}") || t.indexOf('{', 1) >= 0) {
            throw new SqlErrorException(DbError.of("22P02",
                    "malformed array literal: \"" + text + "\" (Sluice accepts one-dimensional arrays)"));
        }
        List<String> out = new ArrayList<>();
        String body = t.substring(1, t.length() - 1);
        if (body.isBlank()) {
            return out;
        }
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (quoted) {
                if (c == '\\' && i + 1 < body.length()) {
                    current.append(body.charAt(++i));
                } else if (c == '"') {
                    quoted = false;
                } else {
                    current.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                wasQuoted = true;
            } else if (c == ',') {
                out.add(element(current, wasQuoted));
                current.setLength(0);
                wasQuoted = false;
            } else {
                current.append(c);
            }
        }
        out.add(element(current, wasQuoted));
        return out;
    }

    private static String element(StringBuilder raw, boolean wasQuoted) {
        String text = wasQuoted ? raw.toString() : raw.toString().trim();
        return !wasQuoted && text.equalsIgnoreCase("NULL") ? null : text;
    }

    private static SqlErrorException invalid(String type, String text) {
        return new SqlErrorException(DbError.of("22P02",
                "invalid input syntax for type " + type + ": \"" + text + "\""));
    }
}
