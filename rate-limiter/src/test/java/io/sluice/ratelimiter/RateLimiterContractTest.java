package io.sluice.ratelimiter;

import java.util.List;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testing.ServiceContractTest;
import io.sluice.testing.SluiceInfraResource;

@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class RateLimiterContractTest extends ServiceContractTest {

    @Override
    protected String jsonEndpoint() {
        return "/v1/ratelimit/check";
    }

    @Override
    protected String requiredField() {
        return "key";
    }

    @Override
    protected List<String> readinessChecks() {
        return List.of("Redis connection health check", "rate-limiter-decisions");
    }

    @Override
    protected String sluiceMetric() {
        return "sluice_ratelimiter_decisions_total";
    }
}
