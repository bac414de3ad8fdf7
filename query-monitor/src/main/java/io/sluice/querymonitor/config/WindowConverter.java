package io.sluice.querymonitor.config;

import java.util.Arrays;
import java.util.stream.Collectors;

import org.eclipse.microprofile.config.spi.Converter;

import io.sluice.querymonitor.aggregate.Window;

/**
 * Reads a window setting ({@code 1m}, {@code 5m}, {@code 1h}, {@code 24h}: the windows the query APIs answer for).
 * Anything else is refused, so a mistyped window fails start-up instead of silently meaning a default.
 */
public class WindowConverter implements Converter<Window> {

    private static final long serialVersionUID = 1L;

    /** The valid values, in the order the README lists them. */
    public static String validValues() {
        return Arrays.stream(Window.values()).map(Window::label).collect(Collectors.joining(", "));
    }

    @Override
    public Window convert(String value) {
        String label = value == null ? "" : value.trim();
        return Window.parse(label).orElseThrow(() -> new IllegalArgumentException(
                "'" + value + "' is not a window; valid windows are " + validValues()));
    }
}
