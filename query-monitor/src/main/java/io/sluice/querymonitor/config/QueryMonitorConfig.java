package io.sluice.querymonitor.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "query-monitor")
public interface QueryMonitorConfig {

    /** Statements slower than this are counted as slow. */
    @WithDefault("100ms")
    Duration slowThreshold();
}
