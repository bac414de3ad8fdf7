package io.sluice.querymonitor.validation;

import static io.sluice.querymonitor.validation.TargetResult.Target.PARTITION_RUNWAY;

import java.util.ArrayList;
import java.util.List;

import io.vertx.core.json.JsonObject;

/**
 * partition-runway, from partition-manager's GET /v1/partition-sets/{set}: a monthly set (interval "month") needs
 * {@code min-monthly-runway} to {@code max-monthly-runway} partitions ahead, any other set the runway its own
 * premake asks for ({@code runwayOk}); every set's default partition must be empty.
 */
final class RunwayTarget {

    private RunwayTarget() {
    }

    /** {@code sets}: each set's health; null with {@code unreachable} saying why they could not be read. */
    static TargetResult of(List<JsonObject> sets, String unreachable, ValidationConfig config) {
        String threshold = config.minMonthlyRunway() + "-" + config.maxMonthlyRunway()
                + " months ahead, default empty";
        String source = "GET /v1/partition-sets/{set} (partition-manager): runway, runwayOk, defaultRows";
        if (sets == null) {
            return TargetResult.unknown(PARTITION_RUNWAY, threshold, source, unreachable);
        }
        if (sets.isEmpty()) {
            return TargetResult.unknown(PARTITION_RUNWAY, threshold, source, "no partition set is declared");
        }
        List<String> problems = new ArrayList<>();
        int smallest = Integer.MAX_VALUE;
        for (JsonObject h : sets) {
            JsonObject set = h.getJsonObject("set", new JsonObject());
            String name = set.getString("name", "?");
            int runway = h.getInteger("runway", 0);
            smallest = Math.min(smallest, runway);
            if (!h.getBoolean("tablePresent", true)) {
                problems.add(name + ": table missing");
                continue;
            }
            String interval = set.getString("interval", "");
            if (interval.equals("month") || interval.equals("monthly")) {
                if (runway < config.minMonthlyRunway() || runway > config.maxMonthlyRunway()) {
                    problems.add(name + ": runway " + runway + " months");
                }
            } else if (!h.getBoolean("runwayOk", false)) {
                problems.add(name + ": runway " + runway + " of premake " + h.getInteger("premake", 0));
            }
            long defaultRows = h.getLong("defaultRows", 0L);
            if (defaultRows > 0) {
                problems.add(name + ": " + defaultRows + " rows in the default partition");
            }
        }
        if (!problems.isEmpty()) {
            return TargetResult.fail(PARTITION_RUNWAY, threshold, smallest, "partitions", source,
                    String.join("; ", problems));
        }
        return TargetResult.pass(PARTITION_RUNWAY, threshold, smallest, "partitions", source,
                sets.size() + " set(s), smallest runway " + smallest + ", default partitions empty");
    }
}
