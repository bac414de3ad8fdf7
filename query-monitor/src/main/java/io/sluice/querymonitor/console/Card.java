package io.sluice.querymonitor.console;

import java.time.Instant;

/**
 * One service on the overview: UP or DOWN (with the reason when not UP) and its key figure. A figure whose
 * value is null could not be read (the service is down, or the endpoint is not available), {@code note} says why.
 */
public record Card(String service, String status, String reason, Figure figure, Instant checkedAt) {

    public record Figure(String label, Double value, String unit, String note) {

        static Figure of(String label, double value, String unit, String note) {
            return new Figure(label, value, unit, note);
        }

        static Figure missing(String label, String why) {
            return new Figure(label, null, null, why);
        }
    }
}
