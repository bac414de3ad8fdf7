package io.sluice.replicarouter;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;

/**
 * Neon-Connection-String selects the database and user, from an allow-list, each with pools of its own; anything
 * else is refused, never served from the default database.
 */
@QuarkusTest
@TestProfile(ConnectionStringTest.AppLogin.class)
@WithTestResource(SluiceInfraResource.class)
class ConnectionStringTest {

    private static final String APP = "postgresql://sluice_app_user:s3cret@db.example/sluice_app";

    /** One allowed login besides the router's own. */
    public static class AppLogin implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("replica-router.logins.app.database", "sluice_app",
                    "replica-router.logins.app.username", "sluice_app_user",
                    "replica-router.logins.app.password", "s3cret");
        }
    }

    @BeforeAll
    static void databaseAndRole() {
        var primary = SluiceInfra.get().primary();
        if (!"1".equals(primary.queryValue("SELECT count(*) FROM pg_roles WHERE rolname = 'sluice_app_user'"))) {
            primary.execute("CREATE ROLE sluice_app_user LOGIN PASSWORD 's3cret'");
            primary.execute("CREATE DATABASE sluice_app OWNER sluice_app_user");
        }
        SluiceInfra.get().awaitReplayed(SluiceInfra.get().replica(), Duration.ofSeconds(10));
    }

    private static RequestSpecification sql(String connectionString, String query) {
        RequestSpecification request = given().contentType("application/json").body("{\"query\": \"" + query + "\"}");
        return connectionString == null ? request : request.header("Neon-Connection-String", connectionString);
    }

    @Test
    void theConnectionStringSelectsTheDatabaseAndUserForReadsAndWrites() {
        String identity = "SELECT current_database() AS db, current_user AS who";
        sql(APP, identity).post("/sql").then().statusCode(200).header("Sluice-Node", is("replica1"))
                .body("rows[0].db", is("sluice_app")).body("rows[0].who", is("sluice_app_user"));
        sql(APP, "CREATE TABLE IF NOT EXISTS notes (id int PRIMARY KEY)").post("/sql").then().statusCode(200);
        sql(APP, "INSERT INTO notes VALUES (1) ON CONFLICT DO NOTHING RETURNING current_database() AS db")
                .post("/sql").then().statusCode(200).header("Sluice-Node", is("primary"));
        sql(APP, "SELECT count(*) AS n FROM notes").header("Sluice-Route", "primary").post("/sql").then()
                .statusCode(200).body("rows[0].n", is("1"));
        // Without the header, or naming the router's own database and user: the default pools.
        sql(null, identity).post("/sql").then().statusCode(200).body("rows[0].db", is("postgres"))
                .body("rows[0].who", is("postgres"));
        sql("postgresql://postgres:any@db.example/postgres", identity).post("/sql").then().statusCode(200)
                .body("rows[0].db", is("postgres"));
        sql(null, "SELECT count(*) FROM notes").header("Sluice-Route", "primary").post("/sql").then()
                .statusCode(400).body("code", is("42P01"));
    }

    @Test
    void anUnknownDatabaseUserOrPasswordIsRefused() {
        for (String refused : new String[] { "postgresql://sluice_app_user:wrong@db.example/sluice_app",
                "postgresql://sluice_app_user:s3cret@db.example/other_db",
                "postgresql://someone:s3cret@db.example/sluice_app",
                "postgresql://sluice_app_user@db.example/sluice_app" }) {
            sql(refused, "SELECT 1").post("/sql").then().statusCode(403).contentType("application/problem+json")
                    .body("type", endsWith("/connection-not-allowed"))
                    .body("detail", containsString("replica-router.logins"));
        }
        for (String malformed : new String[] { "not a url", "mysql://u:p@h/db", "postgresql://h/db",
                "postgresql://u:p@h/" }) {
            sql(malformed, "SELECT 1").post("/sql").then().statusCode(400).contentType("application/problem+json")
                    .body("detail", containsString("Neon-Connection-String"));
        }
    }
}
