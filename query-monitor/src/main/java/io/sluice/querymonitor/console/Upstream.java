package io.sluice.querymonitor.console;

/**
 * What one call to a service gave: its status and body, or {@code status == 0} with the reason it could not be
 * reached (refused, timed out).
 */
public record Upstream(int status, String contentType, String body, String unreachable) {

    static Upstream answered(int status, String contentType, String body) {
        return new Upstream(status, contentType, body == null ? "" : body, null);
    }

    static Upstream unreachable(String reason) {
        return new Upstream(0, null, "", reason);
    }

    public boolean reached() {
        return unreachable == null;
    }

    public boolean ok() {
        return status / 100 == 2;
    }
}
