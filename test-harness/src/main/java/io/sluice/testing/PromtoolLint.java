package io.sluice.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/**
 * {@code promtool check metrics} on a Prometheus text (format 0.0.4): the deploy issue asks that it find nothing
 * on each service's real /q/metrics. promtool comes from Debian's {@code prometheus} package.
 */
public final class PromtoolLint {

    /** The Accept header that gets the text format promtool reads (the default is OpenMetrics with exemplars). */
    public static final String TEXT_FORMAT = "text/plain; version=0.0.4";

    private PromtoolLint() {
    }

    /** @return promtool's findings, "" when there are none; an exit code other than 0 is a finding too */
    public static String findings(String metricsText) {
        Process promtool;
        try {
            promtool = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("promtool is not installed (Debian package prometheus; "
                    + "`deploy/local/sluice test` installs it when run as root)", e);
        }
        try {
            try (var in = promtool.getOutputStream()) {
                in.write(metricsText.getBytes(UTF_8));
            }
            String out = new String(promtool.getInputStream().readAllBytes(), UTF_8).strip();
            if (!promtool.waitFor(30, TimeUnit.SECONDS)) {
                promtool.destroyForcibly();
                return "promtool did not finish in 30 s";
            }
            return promtool.exitValue() == 0 || !out.isEmpty() ? out : "promtool exited " + promtool.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
