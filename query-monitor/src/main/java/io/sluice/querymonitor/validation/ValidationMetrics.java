package io.sluice.querymonitor.validation;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.querymonitor.validation.TargetResult.Target;

/**
 * {@code sluice_querymonitor_validation_verdict{target, verdict}}: 1 for each target's current verdict (of the
 * last evaluation over the default window), 0 for the two others. Tags come from closed sets (9 × 3 series).
 */
@ApplicationScoped
public class ValidationMetrics {

    private final Map<Target, AtomicReference<Verdict>> current = new EnumMap<>(Target.class);

    public ValidationMetrics(MeterRegistry registry) {
        for (Target t : Target.values()) {
            AtomicReference<Verdict> ref = new AtomicReference<>(Verdict.UNKNOWN);
            current.put(t, ref);
            for (Verdict v : Verdict.values()) {
                Gauge.builder("sluice.querymonitor.validation.verdict", ref, r -> r.get() == v ? 1 : 0)
                        .description("1 for the scorecard target's current verdict (GET /v1/validation, default window)")
                        .tag("target", t.id).tag("verdict", v.label()).register(registry);
            }
        }
    }

    void record(Scorecard card) {
        for (TargetResult r : card.targets()) {
            for (Target t : Target.values()) {
                if (t.id.equals(r.id())) {
                    current.get(t).set(r.verdict());
                }
            }
        }
    }
}
