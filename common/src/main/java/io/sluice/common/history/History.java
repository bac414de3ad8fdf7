package io.sluice.common.history;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * {@code GET /v1/history} of every service that keeps one: the nominal seconds between points, how many points a
 * series holds at most, and each series as {@code [[epochSeconds, value], ...]}, oldest first.
 */
public record History(long stepSeconds, int capacity, Map<String, List<Point>> series) {

    /** One figure at one instant; written as the JSON array {@code [epochSeconds, value]}. */
    @JsonFormat(shape = JsonFormat.Shape.ARRAY)
    @JsonPropertyOrder({ "epochSecond", "value" })
    public record Point(long epochSecond, double value) {
    }

    /** The series' points, empty when there is no such series. */
    public List<Point> points(String name) {
        return series.getOrDefault(name, List.of());
    }
}
