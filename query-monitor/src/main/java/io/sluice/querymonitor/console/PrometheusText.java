package io.sluice.querymonitor.console;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Predicate;

/** Reads the Prometheus text format a service serves at /q/metrics, keeping only Sluice's own series. */
public final class PrometheusText {

    /** One series: metric name, labels and current value. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private PrometheusText() {
    }

    public static List<Sample> parse(String text, String namePrefix) {
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#") || !line.startsWith(namePrefix)) {
                continue;
            }
            Sample s = parseLine(line.trim());
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    /** The sum of the values of the series named {@code name} whose labels pass {@code labels}. */
    public static double sum(List<Sample> samples, String name, Predicate<Map<String, String>> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && labels.test(s.labels()))
                .mapToDouble(Sample::value).sum();
    }

    public static OptionalDouble min(List<Sample> samples, String name) {
        return samples.stream().filter(s -> s.name().equals(name)).mapToDouble(Sample::value).min();
    }

    public static OptionalDouble max(List<Sample> samples, String name) {
        return samples.stream().filter(s -> s.name().equals(name)).mapToDouble(Sample::value).max();
    }

    private static Sample parseLine(String line) {
        int brace = line.indexOf('{');
        int space;
        Map<String, String> labels = new LinkedHashMap<>();
        String name;
        if (brace >= 0) {
            name = line.substring(0, brace);
            int close = labelsEnd(line, brace);
            if (close < 0) {
                return null;
            }
            readLabels(line.substring(brace + 1, close), labels);
            space = close + 1;
        } else {
            space = line.indexOf(' ');
            if (space < 0) {
                return null;
            }
            name = line.substring(0, space);
        }
        String[] rest = line.substring(space).trim().split("\\s+");
        try {
            return new Sample(name, labels, Double.parseDouble(rest[0]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int labelsEnd(String line, int from) {
        boolean quoted = false;
        for (int i = from + 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '}' && !quoted) {
                return i;
            }
        }
        return -1;
    }

    private static void readLabels(String body, Map<String, String> labels) {
        int i = 0;
        while (i < body.length()) {
            int eq = body.indexOf('=', i);
            if (eq < 0 || eq + 1 >= body.length() || body.charAt(eq + 1) != '"') {
                return;
            }
            StringBuilder value = new StringBuilder();
            int j = eq + 2;
            for (; j < body.length() && body.charAt(j) != '"'; j++) {
                char c = body.charAt(j);
                if (c == '\\' && j + 1 < body.length()) {
                    char n = body.charAt(++j);
                    value.append(n == 'n' ? '\n' : n);
                } else {
                    value.append(c);
                }
            }
            labels.put(body.substring(i, eq).trim(), value.toString());
            i = j + 1;
            while (i < body.length() && (body.charAt(i) == ',' || body.charAt(i) == ' ')) {
                i++;
            }
        }
    }
}
