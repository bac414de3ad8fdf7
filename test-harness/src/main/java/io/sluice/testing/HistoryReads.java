package io.sluice.testing;

import static io.restassured.RestAssured.given;

import java.util.List;

import io.restassured.path.json.JsonPath;

/** Reads of a service's {@code GET /v1/history} (series name to {@code [[epochSeconds, value], ...]}) in tests. */
public final class HistoryReads {

    private HistoryReads() {
    }

    /** The whole history, asserted 200 JSON. */
    public static JsonPath read() {
        return given().when().get("/v1/history").then().statusCode(200).contentType("application/json").extract()
                .jsonPath();
    }

    /** The value of the series' newest point; fails when the series has no point. */
    public static double last(JsonPath history, String series) {
        List<List<Number>> points = points(history, series);
        return points.get(points.size() - 1).get(1).doubleValue();
    }

    /** The time (epoch seconds) of the series' newest point. */
    public static long lastTime(JsonPath history, String series) {
        List<List<Number>> points = points(history, series);
        return points.get(points.size() - 1).get(0).longValue();
    }

    private static List<List<Number>> points(JsonPath history, String series) {
        List<List<Number>> points = history.getList("series.'" + series + "'");
        if (points == null || points.isEmpty()) {
            throw new AssertionError("no point of " + series + " in " + history.getMap("series").keySet());
        }
        return points;
    }
}
