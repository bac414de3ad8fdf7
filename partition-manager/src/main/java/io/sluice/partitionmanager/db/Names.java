package io.sluice.partitionmanager.db;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Names derived from catalog names (twin, partitions, renamed old objects). PostgreSQL cuts identifiers at 63 bytes,
 * which would silently merge two derived names, so the base is shortened (on a character boundary) to keep the
 * suffix whole.
 */
public final class Names {

    /** NAMEDATALEN - 1. */
    public static final int MAX_BYTES = 63;

    private Names() {
    }

    /** {@code base + suffix}, the base cut so the whole name fits in 63 bytes of UTF-8. */
    public static String fit(String base, String suffix) {
        int room = MAX_BYTES - suffix.getBytes(StandardCharsets.UTF_8).length;
        StringBuilder kept = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < base.length();) {
            int cp = base.codePointAt(i);
            int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > room) {
                break;
            }
            kept.appendCodePoint(cp);
            bytes += size;
            i += Character.charCount(cp);
        }
        return kept + suffix;
    }

    /** Eight hex digits that depend on every character of {@code text}: tells apart names cut to the same prefix. */
    public static String hash8(String text) {
        return HexFormat.of().toHexDigits(text.hashCode());
    }

    public static boolean fits(String name) {
        return !name.isEmpty() && name.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES;
    }
}
