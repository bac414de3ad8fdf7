package io.sluice.querymonitor.aggregate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The windows the query APIs answer for. Data is kept in minute buckets (for up to 1 h) and hour buckets (for
 * 24 h); a window covers every bucket that overlaps the last {@code length}, so it may reach up to one bucket
 * further back.
 */
public enum Window {
    ONE_MINUTE("1m", Duration.ofMinutes(1), Resolution.MINUTE),
    FIVE_MINUTES("5m", Duration.ofMinutes(5), Resolution.MINUTE),
    ONE_HOUR("1h", Duration.ofHours(1), Resolution.MINUTE),
    ONE_DAY("24h", Duration.ofHours(24), Resolution.HOUR);

    private final String label;
    private final Duration length;
    private final Resolution resolution;

    Window(String label, Duration length, Resolution resolution) {
        this.label = label;
        this.length = length;
        this.resolution = resolution;
    }

    public String label() {
        return label;
    }

    public Duration length() {
        return length;
    }

    public Resolution resolution() {
        return resolution;
    }

    public static Optional<Window> parse(String label) {
        for (Window w : values()) {
            if (w.label.equals(label)) {
                return Optional.of(w);
            }
        }
        return Optional.empty();
    }

    /** Start times (epoch seconds) of the buckets overlapping [now - length, now]. */
    public List<Long> buckets(Instant now) {
        long step = resolution.seconds();
        long last = resolution.bucketOf(now);
        long first = resolution.bucketOf(now.minus(length));
        List<Long> out = new ArrayList<>();
        for (long b = first; b <= last; b += step) {
            out.add(b);
        }
        return out;
    }

    public enum Resolution {
        MINUTE("m", 60, Duration.ofHours(2)),
        HOUR("h", 3600, Duration.ofHours(26));

        private final String code;
        private final long seconds;
        private final Duration ttl;

        Resolution(String code, long seconds, Duration ttl) {
            this.code = code;
            this.seconds = seconds;
            this.ttl = ttl;
        }

        public String code() {
            return code;
        }

        public long seconds() {
            return seconds;
        }

        /** How long a bucket of this size is kept in Redis. */
        public Duration ttl() {
            return ttl;
        }

        public long bucketOf(Instant t) {
            long s = t.getEpochSecond();
            return s - Math.floorMod(s, seconds);
        }
    }
}
