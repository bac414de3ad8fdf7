package io.sluice.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Finds the PostgreSQL server binaries: SLUICE_PG_BIN, else the newest /usr/lib/postgresql/N/bin. Public for tests
 * that run the client programs (psql, pgbench) too.
 */
public final class PgBinaries {

    private PgBinaries() {
    }

    static Path dir() {
        String configured = System.getenv("SLUICE_PG_BIN");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path root = Path.of("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.list(root)) {
            return versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                    .max(Comparator.comparingInt(PgBinaries::major))
                    .map(v -> v.resolve("bin"))
                    .orElseThrow(() -> missing(null));
        } catch (IOException e) {
            throw missing(e);
        }
    }

    public static String tool(String name) {
        return dir().resolve(name).toString();
    }

    private static int major(Path versionDir) {
        try {
            return Integer.parseInt(versionDir.getFileName().toString().split("\\.")[0]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static IllegalStateException missing(Exception cause) {
        return new IllegalStateException("PostgreSQL server binaries not found under /usr/lib/postgresql; "
                + "install them (apt-get install postgresql postgresql-contrib) or set SLUICE_PG_BIN", cause);
    }
}
