package io.sluice.querymonitor.console;

import io.sluice.common.problem.ProblemType;

/** The console's problem types (docs/problems.md). */
public final class ConsoleProblem {

    public static final ProblemType UNKNOWN_SERVICE =
            ProblemType.of("console-unknown-service", 404, "No such service in the console");

    public static final ProblemType PATH_NOT_ALLOWED =
            ProblemType.of("console-path-not-allowed", 400, "The console proxies only the services' read APIs");

    public static final ProblemType UNKNOWN_ACTION =
            ProblemType.of("console-unknown-action", 404, "No such console action");

    public static final ProblemType INVALID_ACTION =
            ProblemType.of("console-invalid-action", 400, "The action's parameters are not valid");

    public static final ProblemType NOT_CONFIRMED =
            ProblemType.of("console-action-not-confirmed", 400, "A console action needs \"confirm\": true");

    public static final ProblemType ACTIONS_DISABLED = ProblemType.of("console-actions-disabled", 403,
            "Console actions are disabled: no admin token is configured");

    public static final ProblemType UPSTREAM_UNAVAILABLE =
            ProblemType.of("console-upstream-unavailable", 502, "The service did not answer the console");

    private ConsoleProblem() {
    }
}
