package io.sluice.common.history;

import java.time.Clock;
import java.util.Map;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;

/**
 * The part every service's history does the same way: a {@link HistoryRing} sized by its {@code history} settings,
 * a {@link CounterDeltas} for its counters, and {@link #sample()}, which takes the service's {@link #figures()} into
 * the ring at the clock's time. A service extends it with what it charts, and has a job call {@code sample()} every
 * step. A sample that fails (its source unreachable) is logged and leaves no point: a gap, never a made-up zero.
 */
public abstract class ServiceHistory {

    private static final Logger LOG = Logger.getLogger(ServiceHistory.class);

    private final HistoryRing ring;
    private final Clock clock;
    private final String service;
    protected final CounterDeltas deltas = new CounterDeltas();

    protected ServiceHistory(String service, HistorySettings settings, Clock clock) {
        this.ring = new HistoryRing(settings.step(), settings.points());
        this.clock = clock;
        this.service = service;
        LOG.infof("%s keeps the history of its chart figures (GET /v1/history): one point every %d s, %d points "
                + "(the last %d min)", service, settings.step().toSeconds(), settings.points(), ring.span().toMinutes());
    }

    /** This moment's figures by series name; a series without a value now is simply absent. */
    protected abstract Uni<Map<String, Double>> figures();

    /** Takes one sample into the ring. */
    public Uni<Void> sample() {
        return figures().invoke(f -> ring.record(clock.instant(), f))
                .onFailure().invoke(e -> LOG.warnf("%s: history sample skipped (%s)", service, e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Every point within the span, or only those after {@code afterEpochSecond} when given. */
    public History read(Long afterEpochSecond) {
        return afterEpochSecond == null ? ring.all(clock.instant())
                : ring.after(clock.instant(), afterEpochSecond);
    }
}
