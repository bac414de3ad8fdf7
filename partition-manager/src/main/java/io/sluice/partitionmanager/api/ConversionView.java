package io.sluice.partitionmanager.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.sluice.partitionmanager.conversion.Conversion;
import io.sluice.partitionmanager.conversion.shape.Unsupported;

/**
 * A conversion's progress: phase, rows copied of the total at start, changes replayed, rate and ETA of the copy; the
 * primary key it walks and what the caller accepted; once swapped, the schema-equivalence check and the swap's
 * figures. {@code ddl} and {@code unsupported} come with the answer to a start or a dry run only.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConversionView(UUID id, String table, String column, String interval, String phase, boolean running,
        long copiedRows, long totalRows, double progress, long replayedChanges, Double rowsPerSecond, Long etaSeconds,
        Instant startedAt, Instant finishedAt, String error, List<String> keyColumns, List<String> accepted,
        Conversion.Equivalence equivalence, Conversion.SwapFigures swap, List<UnsupportedItem> unsupported,
        List<String> ddl) {

    /** Something the partitioned table cannot have as it is: {@code id} goes into the request's {@code accept}. */
    public record UnsupportedItem(String id, String object, String reason, boolean accepted) {
    }

    public static ConversionView of(Conversion v, boolean running) {
        return of(v, running, null, null);
    }

    public static ConversionView of(Conversion v, boolean running, List<String> ddl, List<Unsupported> unsupported) {
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
        List<UnsupportedItem> items = unsupported == null ? null : unsupported.stream()
                .map(u -> new UnsupportedItem(u.id(), u.object(), u.reason(), v.accepted().contains(u.id()))).toList();
        return new ConversionView(v.id(), v.schema() + "." + v.table(), v.column(), v.interval().name().toLowerCase(),
                v.phase().name(), running, v.copiedRows(), v.totalRows(), progress, v.replayedChanges(), rate, eta,
                v.startedAt(), v.finishedAt(), v.error(), v.keyColumns(), v.accepted(), v.equivalence(), v.swap(),
                items, ddl);
    }
}
