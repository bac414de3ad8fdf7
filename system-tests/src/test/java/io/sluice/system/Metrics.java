package io.sluice.system;

import io.sluice.testing.ServiceProcess;

/** Reads a service's Prometheus text at /q/metrics. */
final class Metrics {

    private Metrics() {
    }

    /**
     * The sum of every sample of {@code name} whose label set contains {@code labelPart} (e.g.
     * {@code target="replica"}; "" matches all), or 0 when none is exposed.
     */
    static double sum(ServiceProcess service, String name, String labelPart) {
        double total = 0;
        for (String line : Http.get(service.url() + "/q/metrics").text().split("\n")) {
            if (line.startsWith("#") || !line.startsWith(name)) {
                continue;
            }
            // An exemplar (" # {trace_id=...} value timestamp", when a sampled span was active) is not the value.
            line = line.contains(" # ") ? line.substring(0, line.indexOf(" # ")) : line;
            int space = line.lastIndexOf(' ');
            String series = line.substring(0, space);
            String metric = series.contains("{") ? series.substring(0, series.indexOf('{')) : series;
            if (metric.equals(name) && series.contains(labelPart)) {
                total += Double.parseDouble(line.substring(space + 1));
            }
        }
        return total;
    }
}
