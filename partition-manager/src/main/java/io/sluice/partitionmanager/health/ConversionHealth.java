package io.sluice.partitionmanager.health;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.partitionmanager.conversion.Conversion;
import io.sluice.partitionmanager.conversion.ConversionRepository;

/**
 * What the readiness check says about online conversions: each running one with its phase and progress, and a
 * warning for one that stands interrupted (it waits for a resume) or failed in the last day. Never DOWN: a
 * conversion works on a twin, the table itself serves throughout.
 */
@ApplicationScoped
public class ConversionHealth {

    static final Duration FAILED_WINDOW = Duration.ofHours(24);
    private static final int RECENT = 50;

    private final ConversionRepository conversions;

    public ConversionHealth(ConversionRepository conversions) {
        this.conversions = conversions;
    }

    /** Health data entries, in a stable order; blocking (JDBC): call from a worker thread. */
    public Map<String, Object> data(Instant now) throws SQLException {
        Map<String, Object> data = new LinkedHashMap<>();
        var running = conversions.unfinished();
        data.put("conversionsRunning", running.size());
        for (Conversion c : running) {
            String name = "conversion." + c.schema() + "." + c.table();
            data.put(name, c.phase() + " " + c.copiedRows() + "/" + c.totalRows() + " rows copied, "
                    + c.replayedChanges() + " changes replayed");
            if (c.error() != null) {
                data.put(name + ".warning", c.error() + "; POST /v1/conversions/" + c.id() + "/resume");
            }
        }
        for (Conversion c : conversions.recent(RECENT)) {
            if (c.phase() == Conversion.Phase.FAILED && c.finishedAt() != null
                    && c.finishedAt().isAfter(now.minus(FAILED_WINDOW))) {
                data.putIfAbsent("conversion." + c.schema() + "." + c.table() + ".warning",
                        "FAILED at " + c.finishedAt() + ": " + c.error() + " (GET /v1/conversions/" + c.id() + ")");
            }
        }
        return data;
    }
}
