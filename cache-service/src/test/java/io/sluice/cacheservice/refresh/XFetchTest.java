package io.sluice.cacheservice.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class XFetchTest {

    @Test
    void farFromExpiryNoRefreshCloseToItAlmostAlways() {
        // delta 100 ms, beta 1: refresh when -100 * ln(r) >= time left.
        assertThat(XFetch.refreshEarly(0, 60_000, 100, 1.0, 0.5)).isFalse();
        assertThat(XFetch.refreshEarly(59_990, 60_000, 100, 1.0, 0.5)).isTrue();
        assertThat(XFetch.refreshEarly(59_990, 60_000, 100, 1.0, 0.99)).isFalse();
    }

    @Test
    void slowerLoadsRefreshEarlierAndBetaZeroNever() {
        assertThat(XFetch.refreshEarly(50_000, 60_000, 100, 1.0, 0.1)).isFalse();
        assertThat(XFetch.refreshEarly(50_000, 60_000, 10_000, 1.0, 0.1)).isTrue();
        assertThat(XFetch.refreshEarly(59_999, 60_000, 10_000, 0.0, 0.0001)).isFalse();
        assertThat(XFetch.refreshEarly(60_000, 60_000, 10_000, 1.0, 0.0001)).isFalse();
    }
}
