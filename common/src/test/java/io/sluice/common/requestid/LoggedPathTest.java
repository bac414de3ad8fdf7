package io.sluice.common.requestid;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoggedPathTest {

    @Test
    void aMatchedRouteIsLoggedAsItsTemplate() {
        assertThat(LoggedPath.of("/v1/ratelimit/keys/{key}", "/v1/ratelimit/keys/sk_live_secret"))
                .isEqualTo("/v1/ratelimit/keys/{key}");
    }

    @Test
    void anUnmatchedPathKeepsOnlyItsFirstTwoSegments() {
        assertThat(LoggedPath.of(null, "/v1/ratelimit/keyz/sk_live_secret")).isEqualTo("/v1/ratelimit/…");
        assertThat(LoggedPath.of(null, "/v1/cache/a/b/c")).isEqualTo("/v1/cache/…");
        assertThat(LoggedPath.of(null, "/v1/nodes")).isEqualTo("/v1/nodes");
        assertThat(LoggedPath.of(null, "/v1/nodes/")).isEqualTo("/v1/nodes/");
        assertThat(LoggedPath.of("", "/sql")).isEqualTo("/sql");
        assertThat(LoggedPath.of(null, "")).isEqualTo("/");
    }

    @Test
    void healthMetricsAndTheStaticConsoleAreLoggedAsTheyAre() {
        assertThat(LoggedPath.of(null, "/q/health/ready")).isEqualTo("/q/health/ready");
        assertThat(LoggedPath.of(null, "/console/js/pages/queries.js")).isEqualTo("/console/js/pages/queries.js");
        assertThat(LoggedPath.of(null, "/console/api/proxy/rate-limiter/v1/ratelimit/keys/k"))
                .isEqualTo("/console/api/…");
    }
}
