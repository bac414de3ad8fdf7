package io.sluice.replicarouter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;

/**
 * The real @neondatabase/serverless driver, run by Node, against this router: what an app using Neon's driver
 * (or an ORM on top of it) sees with only the endpoint changed. Needs node and npm (deploy/local/sluice test
 * installs them); the driver version is pinned in src/test/node/package-lock.json.
 */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class NeonDriverTest {

    private static final Path NODE_DIR = Path.of("src/test/node");

    @TestHTTPResource("/sql")
    URL sqlEndpoint;

    @Test
    void theNeonDriverQueriesWritesAndTransactsThroughTheRouter() throws Exception {
        installDriver();
        String table = "neon_" + UUID.randomUUID().toString().replace("-", "");
        JsonNode out = new ObjectMapper().readTree(run(List.of("node", "neon-driver-check.mjs"),
                "SLUICE_URL", sqlEndpoint.toString(), "TABLE", table));

        assertThat(out.at("/simple/0/n").asInt()).isEqualTo(1);
        assertThat(out.at("/simple/0/s").asText()).isEqualTo("x");

        assertThat(out.at("/insert/command").asText()).isEqualTo("INSERT");
        assertThat(out.at("/insert/rowCount").asInt()).isEqualTo(1);
        assertThat(out.at("/insert/rows/0/id").asInt()).isEqualTo(7);

        // The driver parsed our text output by type OID back into JS values.
        JsonNode row = out.at("/select/0");
        assertThat(row.get("name").asText()).isEqualTo("O'Brien");
        assertThat(row.get("at").asText()).isEqualTo("2024-01-02T03:04:05.678Z");
        assertThat(row.get("doc").get("a").asInt()).isEqualTo(1);
        assertThat(row.get("tags").toString()).isEqualTo("[1,2,null]");
        assertThat(row.get("ok").asBoolean()).isTrue();

        assertThat(out.at("/tx/1/0/c").asInt()).isEqualTo(2);

        assertThat(out.at("/error/isNeonDbError").asBoolean()).isTrue();
        assertThat(out.at("/error/code").asText()).isEqualTo("42P01");
        assertThat(out.at("/error/message").asText()).isEqualTo("relation \"no_such_table_for_driver\" does not exist");
        assertThat(out.at("/error/position").asText()).isEqualTo("15");

        assertThat(out.at("/txError").asText()).isEqualTo("23505");
        assertThat(out.at("/afterRollback/0/c").asInt()).isEqualTo(2);
        assertThat(SluiceInfra.get().primary().queryValue("SELECT count(*) FROM " + table + " WHERE id = 9"))
                .isEqualTo("0");
    }

    private static void installDriver() throws Exception {
        if (!Files.isDirectory(NODE_DIR.resolve("node_modules/@neondatabase/serverless"))) {
            run(List.of("npm", "ci", "--no-audit", "--no-fund"));
        }
    }

    private static String run(List<String> command, String... env) throws IOException, InterruptedException {
        var builder = new ProcessBuilder(command).directory(NODE_DIR.toFile());
        for (int i = 0; i < env.length; i += 2) {
            builder.environment().put(env[i], env[i + 1]);
        }
        Path stderr = Files.createTempFile("neon-driver", ".err");
        Process process = builder.redirectError(stderr.toFile()).start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " timed out");
        }
        if (process.exitValue() != 0) {
            throw new AssertionError(command + " failed (" + process.exitValue() + "):\n" + stdout + "\n"
                    + Files.readString(stderr));
        }
        return stdout.isBlank() ? "{}" : stdout.lines().reduce((a, b) -> b).orElse("{}");
    }
}
