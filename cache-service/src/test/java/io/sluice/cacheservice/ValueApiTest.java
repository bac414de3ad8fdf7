package io.sluice.cacheservice;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;

@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class ValueApiTest {

    private static String path(String key) {
        return "/v1/cache/entries/profiles/" + key;
    }

    private static Response put(String key, String body, String lease) {
        var r = given().contentType("application/json").body(body);
        if (lease != null) {
            r.header("X-Cache-Lease", lease);
        }
        return r.when().put(path(key));
    }

    @Test
    void aValuePutIsReadBackWithItsTtlAndIsGoneAfterDelete() {
        String key = "user-" + UUID.randomUUID();
        put(key, "{\"value\": {\"name\": \"Ann\", \"n\": [1, 2]}, \"ttl_s\": 60, \"tags\": [\"user:1\"]}", null)
                .then().statusCode(200).body("ttl_s", is(60));

        Response got = given().when().get(path(key));
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.header("X-Cache")).isEqualTo("HIT");
        assertThat(got.jsonPath().getString("value.name")).isEqualTo("Ann");
        assertThat(got.jsonPath().getInt("value.n[1]")).isEqualTo(2);
        assertThat(got.jsonPath().getList("tags")).containsExactly("user:1");

        String ttl = SluiceInfra.get().redis().command("TTL", "sluice:cacheservice:e:profiles:{" + key + "}");
        assertThat(Long.parseLong(ttl)).isBetween(1L, 60L);

        given().when().delete(path(key)).then().statusCode(204);
        given().when().get(path(key)).then().statusCode(404).contentType("application/problem+json")
                .body("type", endsWith("/cache-miss"));
    }

    @Test
    void aMissHandsOutOneLeaseAndTheLeasedPutIsStored() throws Exception {
        String key = "k-" + UUID.randomUUID();
        Response first = given().when().get(path(key));
        assertThat(first.statusCode()).isEqualTo(404);
        String lease = first.header("X-Cache-Lease");
        assertThat(lease).isNotBlank();

        // A second reader does not get a lease: it waits for the leaseholder's value.
        CompletableFuture<Response> second = CompletableFuture.supplyAsync(() -> given().when().get(path(key)));
        put(key, "{\"value\": \"computed\", \"ttl_s\": 60}", lease).then().statusCode(200);
        Response waited = second.get();
        assertThat(waited.statusCode()).isEqualTo(200);
        assertThat(waited.jsonPath().getString("value")).isEqualTo("computed");
        assertThat(SluiceInfra.get().redis().command("EXISTS", "sluice:cacheservice:e:profiles:{" + key + "}:lease"))
                .isEqualTo("0");
    }

    @Test
    void aDeleteDuringTheAppsComputationWinsOverTheLeasedPut() {
        String key = "k-" + UUID.randomUUID();
        String lease = given().when().get(path(key)).header("X-Cache-Lease");
        given().when().delete(path(key)).then().statusCode(204);
        put(key, "{\"value\": \"old\"}", lease).then().statusCode(409).contentType("application/problem+json")
                .body("type", endsWith("/lease-lost"));
        assertThat(given().when().get(path(key)).statusCode()).isEqualTo(404);
    }

    @Test
    void aTagInvalidatedDuringTheAppsComputationWinsOverTheLeasedPut() {
        String key = "k-" + UUID.randomUUID();
        String tag = "user:" + UUID.randomUUID();
        String lease = given().when().get(path(key)).header("X-Cache-Lease");
        given().contentType("application/json").body("{\"tags\": [\"" + tag + "\"]}")
                .when().post("/v1/cache/invalidate").then().statusCode(200);
        put(key, "{\"value\": \"old\", \"tags\": [\"" + tag + "\"]}", lease).then().statusCode(409);
        assertThat(SluiceInfra.get().redis().command("EXISTS", "sluice:cacheservice:e:profiles:{" + key + "}"))
                .isEqualTo("0");
    }

    @Test
    void aTagInvalidationRemovesTaggedValuesOnly() {
        String tag = "team:" + UUID.randomUUID();
        String a = "a-" + UUID.randomUUID();
        String b = "b-" + UUID.randomUUID();
        put(a, "{\"value\": 1, \"tags\": [\"" + tag + "\"]}", null).then().statusCode(200);
        put(b, "{\"value\": 2}", null).then().statusCode(200);
        given().contentType("application/json").body("{\"tags\": [\"" + tag + "\"]}")
                .when().post("/v1/cache/invalidate").then().statusCode(200);
        assertThat(given().when().get(path(a)).statusCode()).isEqualTo(404);
        assertThat(given().when().get(path(b)).statusCode()).isEqualTo(200);
        // O(1) and bounded: one version key for the tag, with a TTL, and no set of member keys.
        assertThat(Long.parseLong(SluiceInfra.get().redis().command("PTTL", "sluice:cacheservice:t:{" + tag + "}")))
                .isPositive();
        assertThat(SluiceInfra.get().redis().command("TYPE", "sluice:cacheservice:t:{" + tag + "}")).isEqualTo("string");
    }
}
