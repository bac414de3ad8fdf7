package io.sluice.replicarouter.metrics;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;

/** Router meters; tags are closed sets (target role, outcome), never SQL text. */
@Startup
@ApplicationScoped
public class RouterMetrics {

    private final Counter routedPrimary;
    private final Timer statementOk;
    private final Timer statementFailed;

    public RouterMetrics(MeterRegistry registry) {
        this.routedPrimary = Counter.builder("sluice.replicarouter.routed")
                .description("Statements routed, by target role and reason")
                .tag("target", "primary").tag("reason", "write")
                .register(registry);
        this.statementOk = statements(registry, "ok");
        this.statementFailed = statements(registry, "error");
    }

    public Timer.Sample start() {
        routedPrimary.increment();
        return Timer.start();
    }

    public void stop(Timer.Sample sample, boolean ok) {
        sample.stop(ok ? statementOk : statementFailed);
    }

    private static Timer statements(MeterRegistry registry, String outcome) {
        return Timer.builder("sluice.replicarouter.statement.duration")
                .description("Statement execution time as seen by the router")
                .tag("outcome", outcome)
                .register(registry);
    }
}
