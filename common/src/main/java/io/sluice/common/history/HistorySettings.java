package io.sluice.common.history;

import java.time.Duration;

import jakarta.validation.constraints.Min;

import io.smallrye.config.WithDefault;

/**
 * The shape of a service's {@code <service>.history} settings group (each service's own config mapping declares
 * {@code HistorySettings history()}; the keys and their environment variables are the service's). A shared shape, no
 * setting of its own: the defaults keep one hour in points ten seconds apart.
 */
public interface HistorySettings {

    /** How often a point is taken (the sampling job's interval). */
    @WithDefault("10s")
    Duration step();

    /** How many points each series keeps: step × points is the span served (360 × 10 s = one hour). */
    @WithDefault("360")
    @Min(1)
    int points();
}
