package io.sluice.replicarouter;

import static io.sluice.replicarouter.RouterClient.post;
import static io.sluice.replicarouter.RouterClient.sql;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;

/** Each committed write leaves one entry with its tables and commit LSN on the stream cache-service reads. */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class InvalidationStreamTest {

    private static final String STREAM = "sluice:replicarouter:{invalidations}";

    private final SluiceInfra infra = SluiceInfra.get();

    @Test
    void aWriteAppendsItsTablesAndCommitLsn() {
        String t = table();
        post(sql("CREATE TABLE " + t + " (id int)")).then().statusCode(200);
        Response write = post(sql("INSERT INTO " + t + " VALUES (1)"));
        String entry = lastEntry();
        assertThat(entry).contains("tables\n" + t + "\n");
        assertThat(entry).contains("lsn\n" + write.header("Sluice-Commit-Lsn") + "\n");
        assertThat(entry).contains("node\nprimary");
    }

    @Test
    void aBatchAppendsEveryTableItWrote() {
        String a = table();
        String b = table();
        post(sql("CREATE TABLE " + a + " (id int)")).then().statusCode(200);
        post(sql("CREATE TABLE " + b + " (id int)")).then().statusCode(200);
        io.restassured.RestAssured.given().contentType("application/json")
                .body("{\"queries\": [{\"query\": \"INSERT INTO " + a + " VALUES (1)\"},"
                        + " {\"query\": \"DELETE FROM " + b + "\"}]}")
                .when().post("/sql").then().statusCode(200);
        assertThat(lastEntry()).contains("tables\n" + a + "," + b + "\n");
        // Each table is marked with the entry, in the same script: a consumer that loses it knows what it touched.
        String id = lastEntry().split("\n")[0];
        assertThat(infra.redis().command("HGET", STREAM + ":tables", a)).isEqualTo(id);
        assertThat(infra.redis().command("HGET", STREAM + ":tables", b)).isEqualTo(id);
    }

    @Test
    void everyEntryIsCountedInTheTableMarks() {
        String t = table();
        post(sql("CREATE TABLE " + t + " (id int)")).then().statusCode(200);
        long marked = Long.parseLong(infra.redis().command("HGET", STREAM + ":tables", "_added"));
        long length = Long.parseLong(infra.redis().command("XLEN", STREAM));
        post(sql("INSERT INTO " + t + " VALUES (1)")).then().statusCode(200);
        post(sql("INSERT INTO " + t + " VALUES (2)")).then().statusCode(200);
        assertThat(Long.parseLong(infra.redis().command("HGET", STREAM + ":tables", "_added"))).isEqualTo(marked + 2);
        assertThat(Long.parseLong(infra.redis().command("XLEN", STREAM))).isEqualTo(length + 2);
    }

    @Test
    void aReadAppendsNothingAndAHiddenWriteInvalidatesEverything() {
        String t = table();
        post(sql("CREATE TABLE " + t + " (n int)")).then().statusCode(200);
        String before = infra.redis().command("XLEN", STREAM);
        post(sql("SELECT count(*) FROM " + t)).then().statusCode(200);
        assertThat(infra.redis().command("XLEN", STREAM)).isEqualTo(before);

        String fn = "hidden_" + t;
        post(sql("CREATE FUNCTION " + fn + "() RETURNS int LANGUAGE sql AS $$ INSERT INTO " + t
                + " VALUES (1) RETURNING n $$")).then().statusCode(200);
        infra.awaitReplayed(infra.replica(), java.time.Duration.ofSeconds(10));
        post(sql("SELECT " + fn + "()")).then().statusCode(200);
        assertThat(lastEntry()).contains("tables\n*\n");
    }

    private String lastEntry() {
        return infra.redis().command("XREVRANGE", STREAM, "+", "-", "COUNT", "1");
    }

    private static String table() {
        return "inv_" + UUID.randomUUID().toString().replace("-", "");
    }
}
