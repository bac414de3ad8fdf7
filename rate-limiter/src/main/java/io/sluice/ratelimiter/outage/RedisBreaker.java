package io.sluice.ratelimiter.outage;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.sluice.ratelimiter.config.RateLimiterConfig;
import io.sluice.ratelimiter.metrics.RateLimiterMetrics;
import io.smallrye.mutiny.Uni;

/**
 * Guards every Redis call of the decision path: a short deadline, and a circuit breaker that stops calling
 * Redis for {@code breaker-open-for} after {@code breaker-failures} consecutive failures. After that one call
 * is let through; its success closes the breaker, its failure reopens it. Health reads the state.
 */
@ApplicationScoped
public class RedisBreaker {

    private static final Logger LOG = Logger.getLogger(RedisBreaker.class);

    /** Thrown instead of calling Redis while the breaker is open. */
    public static final class OpenException extends RuntimeException {
        OpenException() {
            super("Redis circuit breaker is open", null, false, false);
        }
    }

    private final Duration timeout;
    private final int threshold;
    private final Duration openFor;
    private final Clock clock;
    private final RateLimiterMetrics metrics;
    private int failures;
    private Instant openUntil = Instant.MIN;
    private Instant degradedSince;

    public RedisBreaker(RateLimiterConfig config, Clock clock, RateLimiterMetrics metrics) {
        this.timeout = config.redis().timeout();
        this.threshold = config.redis().breakerFailures();
        this.openFor = config.redis().breakerOpenFor();
        this.clock = clock;
        this.metrics = metrics;
    }

    public <T> Uni<T> call(Supplier<Uni<? extends T>> redisCall) {
        if (isOpen()) {
            return Uni.createFrom().failure(new OpenException());
        }
        return Uni.createFrom().<T>deferred(redisCall)
                .ifNoItem().after(timeout).failWith(() -> new TimeoutException("Redis did not answer in " + timeout))
                .onItemOrFailure().invoke((item, failure) -> {
                    if (failure == null) {
                        success();
                    } else {
                        failure(failure);
                    }
                });
    }

    public synchronized boolean isOpen() {
        return clock.instant().isBefore(openUntil);
    }

    /** Since when Redis has been failing (the breaker opened), or empty while it answers. */
    public synchronized Optional<Instant> degradedSince() {
        return Optional.ofNullable(degradedSince);
    }

    private synchronized void failure(Throwable failure) {
        metrics.recordRedisError(failure instanceof TimeoutException ? "timeout" : "error");
        failures++;
        if (failures >= threshold && !isOpen()) {
            openUntil = clock.instant().plus(openFor);
            failures = threshold - 1;
            if (degradedSince == null) {
                degradedSince = clock.instant();
                LOG.warnf("Redis failing (%s); breaker open for %s, outage modes decide", failure.getMessage(),
                        openFor);
            }
        }
    }

    private synchronized void success() {
        if (degradedSince != null) {
            LOG.infof("Redis answers again after %s; Redis decides", Duration.between(degradedSince, clock.instant()));
        }
        failures = 0;
        openUntil = Instant.MIN;
        degradedSince = null;
    }
}
