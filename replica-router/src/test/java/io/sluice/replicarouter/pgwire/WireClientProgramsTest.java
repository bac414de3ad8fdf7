package io.sluice.replicarouter.pgwire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.sluice.testing.MetricsScrape;
import io.sluice.testing.PgBinaries;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;

/** The wire listener with PostgreSQL's own client programs: psql and pgbench, unchanged. */
@QuarkusTest
@TestProfile(WireProfile.class)
@WithTestResource(SluiceInfraResource.class)
class WireClientProgramsTest {

    private final SluiceInfra infra = SluiceInfra.get();

    @Inject
    WireListener listener;

    private record Run(int exit, String out) {
    }

    private Run run(String stdin, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", WireProfile.PASSWORD);
        pb.environment().put("PGCONNECT_TIMEOUT", "10");
        Process p = pb.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command[0] + " did not finish");
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private String conninfo() {
        return "host=127.0.0.1 port=" + listener.port() + " user=" + WireProfile.USER + " dbname=postgres";
    }

    private Run psql(String stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(PgBinaries.tool("psql"), "-X", "-A", "-t", "-d", conninfo()));
        cmd.addAll(List.of(args));
        return run(stdin, cmd.toArray(String[]::new));
    }

    @Test
    void psqlRunsAMultiStatementStringAndKeepsGoingAfterAnError() throws Exception {
        String t = "wire_psql_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Run multi = psql(null, "-c", "CREATE TABLE " + t + " (id int); INSERT INTO " + t + " VALUES (1), (2); "
                + "SELECT 'rows=' || count(*) FROM " + t);
        assertThat(multi.exit()).as(multi.out()).isZero();
        assertThat(multi.out()).contains("rows=2");
        assertThat(infra.primary().queryValue("SELECT count(*) FROM " + t)).isEqualTo("2");
        infra.awaitReplayed(infra.replica(), Duration.ofSeconds(10));

        Run script = psql("""
                SELECT 'before=' || count(*) FROM %1$s;
                SELECT 1/0;
                SELECT 'after=' || count(*) FROM %1$s;
                BEGIN;
                INSERT INTO %1$s VALUES (3);
                SELECT 'in-tx=' || count(*) || ' standby=' || pg_is_in_recovery() FROM %1$s;
                SELECT no_such_column FROM %1$s;
                ROLLBACK;
                SELECT 'end=' || count(*) FROM %1$s;
                """.formatted(t), "-v", "ON_ERROR_STOP=0", "-f", "-");
        assertThat(script.out()).contains("before=2", "division by zero", "after=2", "in-tx=3 standby=false",
                "no_such_column", "end=2");
        assertThat(infra.primary().queryValue("SELECT count(*) FROM " + t)).isEqualTo("2");

        Run describe = psql(null, "-c", "\\d " + t);
        assertThat(describe.exit()).as(describe.out()).isZero();
        assertThat(describe.out()).contains("id").contains("integer");
    }

    @Test
    void pgbenchRunsSimpleExtendedAndPreparedWithoutFailures() throws Exception {
        Run init = run(null, PgBinaries.tool("pgbench"), "-i", "-s", "1", "-q", "-h", "127.0.0.1", "-p",
                Integer.toString(listener.port()), "-U", WireProfile.USER, "postgres");
        assertThat(init.exit()).as(init.out()).isZero();
        infra.awaitReplayed(infra.replica(), Duration.ofSeconds(30));
        double replicaReads = MetricsScrape.value(
                "sluice_replicarouter_wire_statements_total{reason=\"read\",target=\"replica\"}");
        for (String[] mode : new String[][] { { "simple", "-S" }, { "extended", "-S" }, { "prepared", "-S" },
                { "simple", "-N" }, { "extended", "-N" }, { "prepared", "-N" } }) {
            Run bench = run(null, PgBinaries.tool("pgbench"), "-M", mode[0], mode[1], "-T", "3", "-c", "4", "-j",
                    "2", "-h", "127.0.0.1", "-p", Integer.toString(listener.port()), "-U", WireProfile.USER,
                    "postgres");
            assertThat(bench.exit()).as(String.join(" ", mode) + "\n" + bench.out()).isZero();
            assertThat(bench.out()).as(bench.out()).contains("number of failed transactions: 0");
            System.out.printf("pgbench -M %s %s through the listener: %s%n", mode[0], mode[1], bench.out().lines()
                    .filter(l -> l.startsWith("tps") || l.startsWith("number of transactions actually"))
                    .toList());
        }
        assertThat(MetricsScrape.value(
                "sluice_replicarouter_wire_statements_total{reason=\"read\",target=\"replica\"}"))
                .isGreaterThan(replicaReads);
    }
}
