package io.sluice.common.problem;

import java.net.URI;

/**
 * A kind of failure with a stable, documented URI (see docs/problems.md). {@link CommonProblem}, an enum, holds the
 * ones every service shares; each service declares its own as constants made with {@link #of} in a
 * {@code XxxProblem} class of its root package (beside the core that raises them, outside {@code api}).
 * system-tests' {@code ProblemCatalogueTest} keeps the declarations and docs/problems.md in step.
 */
public interface ProblemType {

    String BASE_URI = "https://sluice.dev/problems/";

    /** Kebab-case name, the last path segment of {@link #uri()}. */
    String slug();

    /** HTTP status this problem is answered with. */
    int status();

    /** Short human summary, the same for every occurrence. */
    String title();

    default URI uri() {
        return URI.create(BASE_URI + slug());
    }

    /** A service's own problem type, declared as a constant: {@code ProblemType.of("rate-limited", 429, "…")}. */
    static ProblemType of(String slug, int status, String title) {
        return new Declared(slug, status, title);
    }

    /** The plain value behind {@link #of}. */
    record Declared(String slug, int status, String title) implements ProblemType {
    }
}
