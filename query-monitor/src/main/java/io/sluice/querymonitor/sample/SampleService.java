package io.sluice.querymonitor.sample;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.querymonitor.config.QueryMonitorConfig;
import io.sluice.querymonitor.metrics.QueryMonitorMetrics;

/** Takes reported samples in: classifies each as slow or not and records it. */
@ApplicationScoped
public class SampleService {

    private final QueryMonitorConfig config;
    private final QueryMonitorMetrics metrics;

    public SampleService(QueryMonitorConfig config, QueryMonitorMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    /** @return how many of the samples were slow */
    public int record(List<Sample> samples) {
        int slow = 0;
        for (Sample s : samples) {
            Duration took = Duration.ofNanos(Math.round(s.durationMs() * 1_000_000));
            boolean isSlow = took.compareTo(config.slowThreshold()) > 0;
            metrics.recordSample(took, isSlow, s.error() != null);
            if (isSlow) {
                slow++;
            }
        }
        return slow;
    }
}
