package io.sluice.querymonitor.console;

import java.util.List;

/**
 * The body of a console action. {@code confirm} must be true (the page asks the operator first); the other
 * fields are the parameters of the action named in the path (see {@link ConsoleAction}).
 */
public record ActionRequest(Boolean confirm, String key, String tier, String namespace, String node, String index,
        List<String> fingerprints, String archive, String table) {
}
