package io.sluice.cacheservice.lease;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.cacheservice.entry.CacheKey;
import io.sluice.testing.SluiceInfraResource;

/**
 * The window StampedeIT once fell into (CI: two loads for 200 requests): a request reads no entry, the loader stores
 * its value and frees the lease, and only then does the request ask for the lease. It must get the value, not a
 * second load; an entry that is there but no longer valid must still hand out the lease.
 */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class LeaseAfterMissTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    LeaseCoordinator leases;

    private static void put(String key, String tag) {
        given().contentType("application/json")
                .body("{\"value\": {\"n\": 1}, \"ttl_s\": 60, \"tags\": [\"" + tag + "\"]}")
                .when().put("/v1/cache/entries/leases/" + key).then().statusCode(200);
    }

    @Test
    void aValueStoredAfterTheMissIsReturnedInsteadOfALease() {
        String key = "k-" + UUID.randomUUID();
        put(key, "t-" + key);
        Turn turn = leases.acquireAfterMiss(new CacheKey("leases", key)).await().atMost(WAIT);
        assertThat(turn).isInstanceOf(Turn.Value.class);
    }

    @Test
    void anAbsentEntryGivesOneLeaseAndTheNextRequestSeesItHeld() {
        CacheKey key = new CacheKey("leases", "k-" + UUID.randomUUID());
        assertThat(leases.acquireAfterMiss(key).await().atMost(WAIT)).isInstanceOf(Turn.Lease.class);
        assertThat(leases.acquireAfterMiss(key).await().atMost(WAIT)).isInstanceOf(Turn.Held.class);
    }

    @Test
    void anEntryWhoseTagWasInvalidatedStillGetsTheLease() {
        String key = "k-" + UUID.randomUUID();
        String tag = "t-" + key;
        put(key, tag);
        given().contentType("application/json").body("{\"tags\": [\"" + tag + "\"]}")
                .when().post("/v1/cache/invalidate").then().statusCode(200);
        assertThat(leases.acquireAfterMiss(new CacheKey("leases", key)).await().atMost(WAIT))
                .isInstanceOf(Turn.Lease.class);
    }
}
