package io.sluice.querymonitor.console;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The console's meters; tags come from closed sets (service, outcome, action). */
@ApplicationScoped
public class ConsoleMetrics {

    private final MeterRegistry registry;

    public ConsoleMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** outcome = ok | error (the service answered 4xx/5xx) | unreachable. */
    void recordUpstream(ConsoleService service, Upstream u) {
        String outcome = !u.reached() ? "unreachable" : u.ok() ? "ok" : "error";
        Counter.builder("sluice.querymonitor.console.upstream.requests")
                .description("Calls from the console to the services, by outcome")
                .tag("service", service.id()).tag("outcome", outcome).register(registry).increment();
    }

    /** outcome = done | refused (by the console or the service) | failed (service unreachable). */
    void recordAction(String action, String outcome) {
        Counter.builder("sluice.querymonitor.console.actions")
                .description("State-changing console actions, by outcome")
                .tag("action", action).tag("outcome", outcome).register(registry).increment();
    }
}
