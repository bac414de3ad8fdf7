package io.sluice.querymonitor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.DurationConverter;
import io.sluice.querymonitor.aggregate.Window;
import io.sluice.querymonitor.validation.ValidationConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The window settings are typed: a value that is not a window fails the configuration mapping Quarkus builds at
 * start-up (instead of silently meaning the default, as a string setting did), and the README lists the values.
 */
class WindowSettingsTest {

    /** As Quarkus builds it at start-up: the mapping, the given properties and Quarkus' "1s" durations. */
    private static SmallRyeConfigBuilder builder(Class<?> mapping, Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withMapping(mapping)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 500));
    }

    private static QueryMonitorConfig map(Map<String, String> properties) {
        SmallRyeConfig config = builder(QueryMonitorConfig.class, properties).build();
        return config.getConfigMapping(QueryMonitorConfig.class);
    }

    @Test
    void theDefaultsAreFiveMinutesAndOneHour() {
        QueryMonitorConfig config = map(Map.of());
        assertThat(config.regression().window()).isEqualTo(Window.FIVE_MINUTES);
        assertThat(config.verification().baselineWindow()).isEqualTo(Window.ONE_HOUR);
    }

    @Test
    void everyWindowLabelIsAccepted() {
        for (Window w : Window.values()) {
            QueryMonitorConfig config = map(Map.of("query-monitor.regression.window", w.label(),
                    "query-monitor.verification.baseline-window", w.label()));
            assertThat(config.regression().window()).isEqualTo(w);
            assertThat(config.verification().baselineWindow()).isEqualTo(w);
        }
    }

    @Test
    void aBadRegressionWindowFailsTheMappingNamingTheSettingAndTheValidValues() {
        assertThatThrownBy(() -> map(Map.of("query-monitor.regression.window", "10m")))
                .hasStackTraceContaining("query-monitor.regression.window")
                .hasStackTraceContaining("'10m' is not a window; valid windows are 1m, 5m, 1h, 24h");
    }

    @Test
    void aBadBaselineWindowFailsTheMapping() {
        assertThatThrownBy(() -> map(Map.of("query-monitor.verification.baseline-window", "one hour")))
                .hasStackTraceContaining("query-monitor.verification.baseline-window")
                .hasStackTraceContaining("'one hour' is not a window");
    }

    @Test
    void aBadScorecardDefaultWindowFailsTheMapping() {
        SmallRyeConfigBuilder bad = builder(ValidationConfig.class,
                Map.of("query-monitor.validation.default-window", "2h"));
        assertThatThrownBy(bad::build).hasStackTraceContaining("query-monitor.validation.default-window")
                .hasStackTraceContaining("'2h' is not a window");
        assertThat(builder(ValidationConfig.class, Map.of()).build()
                .getConfigMapping(ValidationConfig.class).defaultWindow()).isEqualTo(Window.FIVE_MINUTES);
    }

    @Test
    void theConverterRefusesWhatTheEnumNamesWouldBe() {
        WindowConverter converter = new WindowConverter();
        assertThat(converter.convert(" 24h ")).isEqualTo(Window.ONE_DAY);
        assertThatThrownBy(() -> converter.convert("FIVE_MINUTES")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> converter.convert("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theReadmeListsTheValidWindows() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        assertThat(readme).contains("Window settings (`regression.window`, `verification.baseline-window`, "
                + "`validation.default-window`) take one of `1m`, `5m`, `1h`, `24h`");
        assertThat(WindowConverter.validValues()).isEqualTo("1m, 5m, 1h, 24h");
    }
}
