package io.sluice.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the database binaries, as the postgres user when we are root (initdb and postgres refuse root). */
final class Processes {

    static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private Processes() {
    }

    /** Runs a command as the database owner and fails with its output when it does not exit 0. */
    static String runAsDbOwner(Path workDir, String... command) {
        List<String> cmd = new ArrayList<>();
        if (ROOT) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(List.of(command));
        return run(workDir, cmd);
    }

    static String run(Path workDir, List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true).start();
            String out;
            try (var in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("Timed out: " + String.join(" ", cmd));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("Failed (" + p.exitValue() + "): " + String.join(" ", cmd) + "\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted: " + String.join(" ", cmd), e);
        }
    }

    /** Hands a directory to the postgres user so initdb can write below it. */
    static void giveToDbOwner(Path dir) {
        if (ROOT) {
            run(dir, List.of("chown", "-R", "postgres:postgres", dir.toString()));
        }
    }

    /** Sends a signal (STOP, CONT, ...) to a running process; nothing when it is not running. */
    static void signal(Process process, String name) {
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
            if (!kill.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
