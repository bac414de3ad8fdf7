package io.sluice.ratelimiter.api;

/**
 * What an API key may be, in a body or a path: 1 to 256 characters, none of them a control or format character
 * (NUL, newline, a bidirectional override), white space, or the replacement character that invalid UTF-8 decodes
 * to. Keys are otherwise opaque (stored only as a hash).
 */
public final class ApiKeys {

    public static final String PATTERN = "[^\\p{Cc}\\p{Cf}\\p{Z}\\s\\x{FFFD}]{1,256}";
    public static final String MESSAGE = "must be 1 to 256 characters without control characters, white space or "
            + "invalid UTF-8";

    private ApiKeys() {
    }
}
