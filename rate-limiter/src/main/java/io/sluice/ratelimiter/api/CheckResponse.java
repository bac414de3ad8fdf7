package io.sluice.ratelimiter.api;

import java.util.List;

import io.sluice.ratelimiter.gcra.Decision;

/** An allowed check: the decision, the key's tier, where the decision came from, and every policy's state. */
public record CheckResponse(String decision, boolean allowed, String tier, String source, List<PolicyView> policies) {

    static CheckResponse of(Decision d) {
        return new CheckResponse(d.allowed() ? "allowed" : "limited", d.allowed(), d.set().tier().id(),
                d.source().id(), d.states().stream().map(PolicyView::of).toList());
    }
}
