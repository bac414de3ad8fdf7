package io.sluice.common.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;

/**
 * What {@code promtool check metrics} finds in the framework meters of Quarkus 3.27, and the fix for each. Sluice's
 * own meters already pass; these rules only touch what the framework registers.
 * <ul>
 * <li>HELP texts with double quotes or backslashes (JVM and process binders): the strict 0.0.4 parser rejects the
 * escaped line, so quotes become single quotes and backslashes slashes.</li>
 * <li>Meters without a description (Netty allocator, HTTP connections): "no help text"; the HELP says the name in
 * words instead.</li>
 * <li>camelCase tag keys of Vert.x client meters ({@code clientName}, {@code clientType}): snake_case.</li>
 * <li>Vert.x client meters of a client without a metrics name (the reactive SQL pool) are named {@code .queue.delay}
 * and so on, which Prometheus turns into {@code m__queue_delay_seconds}: they become {@code sql.client.*} after the
 * client type.</li>
 * <li>{@code process.cpu.time} is in nanoseconds ({@code process_cpu_time_ns_total}: "abbreviated units") and
 * {@code system.cpu.count} is a gauge ending in {@code _count}: both are dropped, {@code process_cpu_usage} and
 * {@code system_cpu_usage} remain.</li>
 * <li>Long task timers ({@code http.server.connections}, {@code redis.connections}) are written as a family whose
 * samples ({@code _active_count}, {@code _duration_sum}) promtool cannot join to its HELP: dropped too;
 * {@code http_server_active_requests} and the client {@code _current} gauges still count what is in flight.</li>
 * </ul>
 */
final class LintCleanIds {

    private static final Set<String> DENIED = Set.of("process.cpu.time", "system.cpu.count");

    private LintCleanIds() {
    }

    static boolean denied(Meter.Id id) {
        return id.getType() == Meter.Type.LONG_TASK_TIMER || DENIED.contains(id.getName());
    }

    static Meter.Id clean(Meter.Id id) {
        List<Tag> tags = snakeCaseKeys(id.getTagsAsIterable());
        String name = clientMeterName(id.getName(), tags);
        String description = helpText(name, id.getDescription());
        if (name.equals(id.getName()) && description.equals(id.getDescription()) && tags.equals(id.getTags())) {
            return id;
        }
        return new Meter.Id(name, Tags.of(tags), id.getBaseUnit(), description,
                id.getType());
    }

    static String helpText(String name, String description) {
        if (description == null || description.isBlank()) {
            return name.replace('.', ' ').replace('_', ' ').trim();
        }
        return description.replace('"', '\'').replace('\\', '/');
    }

    static List<Tag> snakeCaseKeys(Iterable<Tag> tags) {
        List<Tag> out = new ArrayList<>();
        for (Tag t : tags) {
            out.add(Tag.of(snakeCase(t.getKey()), t.getValue()));
        }
        return out;
    }

    /** {@code clientName} to {@code client_name}, {@code poolURLPath} to {@code pool_url_path}. */
    static String snakeCase(String key) {
        StringBuilder b = new StringBuilder(key.length() + 4);
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isUpperCase(c) && i > 0) {
                char prev = key.charAt(i - 1);
                boolean wordStart = Character.isLowerCase(prev) || Character.isDigit(prev)
                        || (Character.isUpperCase(prev) && i + 1 < key.length()
                                && Character.isLowerCase(key.charAt(i + 1)));
                if (wordStart) {
                    b.append('_');
                }
            }
            b.append(Character.toLowerCase(c));
        }
        return b.toString();
    }

    private static String clientMeterName(String name, List<Tag> tags) {
        if (!name.startsWith(".")) {
            return name;
        }
        String type = tags.stream().filter(t -> t.getKey().equals("client_type")).map(Tag::getValue).findFirst()
                .orElse("vertx");
        return type.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_") + ".client" + name;
    }
}
