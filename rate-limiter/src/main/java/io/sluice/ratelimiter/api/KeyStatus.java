package io.sluice.ratelimiter.api;

import java.util.List;

import io.sluice.ratelimiter.gcra.Decision;

/** RB-14: a key's tier and what remains of each policy now, read without spending anything. */
public record KeyStatus(String keyHash, String tier, boolean shadow, String onRedisDown, List<PolicyView> policies) {

    static KeyStatus of(String keyHash, Decision d) {
        return new KeyStatus(keyHash, d.set().tier().id(), d.set().shadow(), d.set().onRedisDown().id(),
                d.states().stream().map(PolicyView::of).toList());
    }
}
