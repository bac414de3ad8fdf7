package io.sluice.querymonitor.console;

import io.sluice.common.problem.ProblemType;

/** The console's problem types (docs/problems.md). */
public enum ConsoleProblem implements ProblemType {
    UNKNOWN_SERVICE("console-unknown-service", 404, "No such service in the console"),
    PATH_NOT_ALLOWED("console-path-not-allowed", 400, "The console proxies only the services' read APIs"),
    UNKNOWN_ACTION("console-unknown-action", 404, "No such console action"),
    INVALID_ACTION("console-invalid-action", 400, "The action's parameters are not valid"),
    NOT_CONFIRMED("console-action-not-confirmed", 400, "A console action needs \"confirm\": true"),
    ACTIONS_DISABLED("console-actions-disabled", 403, "Console actions are disabled: no admin token is configured"),
    UPSTREAM_UNAVAILABLE("console-upstream-unavailable", 502, "The service did not answer the console");

    private final String slug;
    private final int status;
    private final String title;

    ConsoleProblem(String slug, int status, String title) {
        this.slug = slug;
        this.status = status;
        this.title = title;
    }

    @Override
    public String slug() {
        return slug;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public String title() {
        return title;
    }
}
