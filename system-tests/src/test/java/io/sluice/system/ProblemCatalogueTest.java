package io.sluice.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * docs/problems.md and the code agree: every problem type a class declares is in that class's section of the page
 * with the same status, every type the page lists is declared by the class its section names, and every type a
 * service declares is used by its code. Reads the source tree (no service is started), so it runs with the plain
 * test phase of this module.
 */
class ProblemCatalogueTest {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final List<String> MODULES = List.of("common", "query-monitor", "replica-router", "cache-service",
            "rate-limiter", "partition-manager");

    /** "## partition-manager (`PartitionManagerProblem`)" or "## Shared ... (`io.sluice.common.problem.CommonProblem`)". */
    private static final Pattern SECTION = Pattern.compile("^## .*\\(`(?:[a-z.]+\\.)?([A-Z][A-Za-z]+)`.*$");
    private static final Pattern ROW =
            Pattern.compile("^\\| `https://sluice\\.dev/problems/([a-z0-9-]+)` \\| ([0-9x]+) \\|.*$");
    /** {@code public static final ProblemType NAME = ProblemType.of("slug", 409, ...} */
    private static final Pattern CONSTANT = Pattern.compile(
            "static final ProblemType ([A-Z0-9_]+)\\s*=\\s*ProblemType\\.of\\(\\s*\"([a-z0-9-]+)\",\\s*([0-9]+)");
    /** An enum constant of a ProblemType enum: {@code NAME("slug", 400, "Title")}. */
    private static final Pattern ENUM_CONSTANT = Pattern.compile("^\\s*([A-Z0-9_]+)\\(\"([a-z0-9-]+)\", ([0-9]+),",
            Pattern.MULTILINE);

    record Declared(String module, Path file, String constant, String slug, String status) {
    }

    @Test
    void everyDeclaredProblemTypeIsDocumentedInItsSectionWithItsStatus() {
        Map<String, Map<String, String>> documented = documented();
        Map<String, List<Declared>> declared = declared();
        assertThat(declared.keySet()).as("problem type classes in the code vs sections of docs/problems.md")
                .containsExactlyInAnyOrderElementsOf(documented.keySet());
        List<String> mismatches = new ArrayList<>();
        declared.forEach((owner, types) -> {
            Map<String, String> page = documented.get(owner);
            for (Declared d : types) {
                String status = page == null ? null : page.get(d.slug());
                if (status == null) {
                    mismatches.add(owner + "." + d.constant() + " (" + d.slug() + ") is not in its section of docs/problems.md");
                } else if (!statusMatches(status, d.status())) {
                    mismatches.add(owner + "." + d.constant() + " (" + d.slug() + ") answers " + d.status()
                            + " but docs/problems.md says " + status);
                }
            }
        });
        assertThat(mismatches).isEmpty();
    }

    @Test
    void everyDocumentedProblemTypeIsDeclaredByTheClassItsSectionNames() {
        Map<String, List<Declared>> declared = declared();
        List<String> undeclared = new ArrayList<>();
        documented().forEach((owner, rows) -> rows.keySet().forEach(slug -> {
            boolean found = declared.getOrDefault(owner, List.of()).stream().anyMatch(d -> d.slug().equals(slug));
            if (!found) {
                undeclared.add(slug + " (docs/problems.md, section " + owner + ")");
            }
        }));
        assertThat(undeclared).as("documented but declared nowhere").isEmpty();
    }

    @Test
    void everyProblemTypeAServiceDeclaresIsUsed() {
        List<String> unused = new ArrayList<>();
        declared().forEach((owner, types) -> {
            for (Declared d : types) {
                if (d.module().equals("common")) {
                    continue; // CommonProblem is chosen by status (forStatus) as well as by name
                }
                if (!usedOutsideItsDeclaration(d)) {
                    unused.add(owner + "." + d.constant() + " (" + d.slug() + ")");
                }
            }
        });
        assertThat(unused).as("declared but never answered with: use it or remove it (and its docs row)").isEmpty();
    }

    private static boolean statusMatches(String documented, String declared) {
        if (documented.contains("x")) { // "4xx": a family
            return declared.charAt(0) == documented.charAt(0);
        }
        return documented.equals(declared);
    }

    /** Section class name -> (slug -> documented status). */
    private static Map<String, Map<String, String>> documented() {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        String owner = null;
        for (String line : read(REPO.resolve("docs/problems.md")).split("\n")) {
            Matcher section = SECTION.matcher(line);
            if (section.matches()) {
                owner = section.group(1);
                out.put(owner, new LinkedHashMap<>());
                continue;
            }
            if (line.startsWith("## ")) {
                owner = null;
            }
            Matcher row = ROW.matcher(line);
            if (row.matches()) {
                assertThat(owner).as("docs/problems.md row outside a section naming its class: " + line).isNotNull();
                assertThat(out.get(owner).put(row.group(1), row.group(2)))
                        .as("%s listed twice in section %s", row.group(1), owner).isNull();
            }
        }
        assertThat(out).as("sections of docs/problems.md").isNotEmpty();
        return out;
    }

    /** Declaring class simple name -> its problem types, from every module's src/main/java. */
    private static Map<String, List<Declared>> declared() {
        Map<String, List<Declared>> out = new TreeMap<>();
        for (String module : MODULES) {
            for (Path file : javaFiles(REPO.resolve(module).resolve("src/main/java"))) {
                String text = read(file);
                String owner = file.getFileName().toString().replace(".java", "");
                Matcher m = CONSTANT.matcher(text);
                while (m.find()) {
                    out.computeIfAbsent(owner, k -> new ArrayList<>())
                            .add(new Declared(module, file, m.group(1), m.group(2), m.group(3)));
                }
                if (text.contains("enum " + owner + " implements ProblemType")) {
                    Matcher e = ENUM_CONSTANT.matcher(text);
                    while (e.find()) {
                        out.computeIfAbsent(owner, k -> new ArrayList<>())
                                .add(new Declared(module, file, e.group(1), e.group(2), e.group(3)));
                    }
                }
            }
        }
        assertThat(out).as("problem type declarations found in the source tree").containsKey("CommonProblem");
        return out;
    }

    /**
     * The module's code refers to the constant: {@code Owner.NAME} anywhere, or {@code NAME} in the owner's own file
     * other than in its declaration. (No static imports of problem constants in this code base.)
     */
    private static boolean usedOutsideItsDeclaration(Declared d) {
        String owner = d.file().getFileName().toString().replace(".java", "");
        Pattern qualified = Pattern.compile("\\b" + owner + "\\." + d.constant() + "\\b");
        Pattern bare = Pattern.compile("\\b" + d.constant() + "\\b");
        for (Path file : javaFiles(REPO.resolve(d.module()).resolve("src/main/java"))) {
            String text = read(file);
            boolean own = file.equals(d.file());
            if (own) {
                text = text.replaceFirst("static final ProblemType " + d.constant() + "\\b", "");
            }
            if (qualified.matcher(text).find() || (own && bare.matcher(text).find())) {
                return true;
            }
        }
        return false;
    }

    private static List<Path> javaFiles(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
