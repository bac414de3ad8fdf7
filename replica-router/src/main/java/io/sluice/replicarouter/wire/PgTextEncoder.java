package io.sluice.replicarouter.wire;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.HexFormat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.pgclient.data.Interval;

/**
 * Writes a value decoded by the reactive client back in PostgreSQL's text output format (DateStyle ISO,
 * IntervalStyle postgres, extra_float_digits 1), which is what the Neon driver's type parsers read.
 */
public final class PgTextEncoder {

    private static final DateTimeFormatter TIME = new DateTimeFormatterBuilder()
            .appendPattern("HH:mm:ss").optionalStart()
            .appendFraction(ChronoField.MICRO_OF_SECOND, 0, 6, true).toFormatter();
    private static final DateTimeFormatter DATE_TIME = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd ").append(TIME).toFormatter();

    private PgTextEncoder() {
    }

    /** @param typeName the column's type name from the client (JSON columns are written as JSON) */
    public static String encode(Object value, String typeName) {
        if (value == null) {
            return null;
        }
        if (PgTypes.isJson(typeName) && !typeName.endsWith("_ARRAY")) {
            return Json.encode(value);
        }
        if (value.getClass().isArray() && !(value instanceof byte[])) {
            return array(value, typeName);
        }
        return scalar(value);
    }

    private static String scalar(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Boolean b) {
            return b ? "t" : "f";
        }
        if (value instanceof Double d) {
            return floating(d, 15);
        }
        if (value instanceof Float f) {
            return floating(f.doubleValue(), 6);
        }
        if (value instanceof BigDecimal bd) {
            return bd.toPlainString();
        }
        if (value instanceof LocalDateTime ldt) {
            return infinity(ldt.equals(LocalDateTime.MAX), ldt.equals(LocalDateTime.MIN), () -> DATE_TIME.format(ldt));
        }
        if (value instanceof OffsetDateTime odt) {
            return infinity(odt.equals(OffsetDateTime.MAX), odt.equals(OffsetDateTime.MIN),
                    () -> DATE_TIME.format(odt) + offset(odt.getOffset()));
        }
        if (value instanceof LocalTime t) {
            return TIME.format(t);
        }
        if (value instanceof OffsetTime t) {
            return TIME.format(t) + offset(t.getOffset());
        }
        if (value instanceof Buffer buffer) {
            return "\\x" + HexFormat.of().formatHex(buffer.getBytes());
        }
        if (value instanceof byte[] bytes) {
            return "\\x" + HexFormat.of().formatHex(bytes);
        }
        if (value instanceof Interval interval) {
            return interval(interval);
        }
        // Integers, Numeric, UUID, LocalDate (ISO), enums and unknown types print as PostgreSQL does.
        return value.toString();
    }

    /** PostgreSQL prints the shortest exact digits, switching to exponent form outside 1e-4 .. 1e15. */
    static String floating(double d, int maxPlainDigits) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0" : "0";
        }
        BigDecimal exact = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        int exponent = exact.precision() - exact.scale() - 1;
        if (exponent < -4 || exponent >= maxPlainDigits) {
            String digits = exact.unscaledValue().abs().toString();
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return (d < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+")
                    + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
        }
        return exact.toPlainString();
    }

    private static String offset(ZoneOffset offset) {
        int seconds = offset.getTotalSeconds();
        String sign = seconds < 0 ? "-" : "+";
        int abs = Math.abs(seconds);
        String text = sign + String.format("%02d", abs / 3600);
        if (abs % 3600 != 0) {
            text += String.format(":%02d", (abs % 3600) / 60);
        }
        return text;
    }

    private static String infinity(boolean plus, boolean minus, java.util.function.Supplier<String> finite) {
        return plus ? "infinity" : minus ? "-infinity" : finite.get();
    }

    private static String interval(Interval i) {
        StringBuilder sb = new StringBuilder();
        part(sb, i.getYears(), "year");
        part(sb, i.getMonths(), "mon");
        part(sb, i.getDays(), "day");
        long micros = i.getMicroseconds();
        boolean hasTime = i.getHours() != 0 || i.getMinutes() != 0 || i.getSeconds() != 0 || micros != 0;
        if (hasTime || sb.isEmpty()) {
            boolean negative = i.getHours() < 0 || i.getMinutes() < 0 || i.getSeconds() < 0 || micros < 0;
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(negative ? "-" : "").append(String.format("%02d:%02d:%02d", Math.abs(i.getHours()),
                    Math.abs(i.getMinutes()), Math.abs(i.getSeconds())));
            if (micros != 0) {
                sb.append(String.format(".%06d", Math.abs(micros)).replaceAll("0+$", ""));
            }
        }
        return sb.toString();
    }

    private static void part(StringBuilder sb, int n, String unit) {
        if (n != 0) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(n).append(' ').append(unit).append(Math.abs(n) == 1 ? "" : "s");
        }
    }

    /** {a,b,NULL}: elements quoted when empty, NULL-like, or holding braces, quotes, commas, backslashes, spaces. */
    private static String array(Object array, String typeName) {
        String elementType = typeName.endsWith("_ARRAY") ? typeName.substring(0, typeName.length() - 6) : typeName;
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < Array.getLength(array); i++) {
            if (i > 0) {
                sb.append(elementType.equals("BOX") ? ';' : ',');
            }
            Object element = Array.get(array, i);
            String text = element == null ? null : encode(element, elementType);
            sb.append(text == null ? "NULL" : quoteElement(text));
        }
        return sb.append('}').toString();
    }

    private static String quoteElement(String text) {
        boolean quote = text.isEmpty() || text.equalsIgnoreCase("NULL")
                || text.chars().anyMatch(c -> c == '{' || c == '}' || c == ',' || c == '"' || c == '\\'
                        || Character.isWhitespace(c));
        return quote ? '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"' : text;
    }
}
