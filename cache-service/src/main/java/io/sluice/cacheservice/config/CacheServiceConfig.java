package io.sluice.cacheservice.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "cache-service")
public interface CacheServiceConfig {

    /** TTL of an entry stored without one. */
    @WithDefault("5m")
    Duration defaultTtl();

    /** The longest TTL a client may ask for: nothing in the cache lives unbounded. */
    @WithDefault("7d")
    Duration maxTtl();
}
