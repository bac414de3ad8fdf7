package io.sluice.partitionmanager.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.sluice.partitionmanager.conversion.Conversion;

/** A conversion's progress: phase, rows copied of the total at start, changes replayed, rate and ETA of the copy. */
public record ConversionView(UUID id, String table, String column, String interval, String phase, boolean running,
        long copiedRows, long totalRows, double progress, long replayedChanges, Double rowsPerSecond, Long etaSeconds,
        Instant startedAt, Instant finishedAt, String error, List<String> ddl) {

    public static ConversionView of(Conversion v, boolean running, List<String> ddl) {
        Instant until = v.finishedAt() != null ? v.finishedAt() : v.updatedAt();
        Double rate = null;
        Long eta = null;
        if (until != null && v.copiedRows() > 0) {
            double seconds = Math.max(0.001, Duration.between(v.startedAt(), until).toMillis() / 1000.0);
            rate = v.copiedRows() / seconds;
            eta = v.phase() == Conversion.Phase.COPYING ? (long) (Math.max(0, v.totalRows() - v.copiedRows()) / rate) : 0L;
        }
        double progress = v.phase() == Conversion.Phase.DONE ? 1.0
                : v.totalRows() == 0 ? 0 : Math.min(1.0, (double) v.copiedRows() / v.totalRows());
        return new ConversionView(v.id(), v.schema() + "." + v.table(), v.column(), v.interval().name().toLowerCase(),
                v.phase().name(), running, v.copiedRows(), v.totalRows(), progress, v.replayedChanges(), rate, eta,
                v.startedAt(), v.finishedAt(), v.error(), ddl);
    }
}
