package io.sluice.testing;

import static io.restassured.RestAssured.given;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one series' value from the service's /q/metrics, so tests can assert on metric deltas. */
public final class MetricsScrape {

    private MetricsScrape() {
    }

    /**
     * The first sample of the series (any labels), or 0 when it is not exposed yet. With OpenTelemetry present the
     * OpenMetrics scrape appends an exemplar ({@code # {span_id=..,trace_id=..} 1.0 <time>}) to sampled series.
     */
    public static double value(String series) {
        String body = given().when().get("/q/metrics").asString();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + "(?:\\{[^}]*})? ([0-9.E+-]+)(?: # \\{.*)?$")
                .matcher(body);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
