package io.sluice.cacheservice.tag;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Follows tag implications: rules map a pattern (a literal tag, or a prefix ending in {@code *}) to implied tags,
 * in which {@code *} is replaced by what the pattern's {@code *} matched. {@code org:* -> users:org:*} makes
 * {@code org:7} imply {@code users:org:7}. Implications are followed transitively; cycles stop, and the expansion
 * is bounded so a rule set cannot make one invalidation unbounded.
 */
public final class TagImplications {

    public static final int MAX_TAGS = 1000;

    private final Map<String, List<String>> rules;

    public TagImplications(Map<String, List<String>> rules) {
        this.rules = Map.copyOf(rules);
    }

    /** The given tags and everything they imply, each once, in discovery order. */
    public Set<String> expand(Iterable<String> tags) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        tags.forEach(todo::add);
        while (!todo.isEmpty() && seen.size() < MAX_TAGS) {
            String tag = todo.poll();
            if (!seen.add(tag)) {
                continue;
            }
            rules.forEach((pattern, implied) -> {
                String captured = match(pattern, tag);
                if (captured != null) {
                    implied.forEach(i -> todo.add(i.trim().replace("*", captured)));
                }
            });
        }
        return seen;
    }

    /** What the pattern's * matched, "" for a literal match, null for no match. */
    private static String match(String pattern, String tag) {
        if (pattern.endsWith("*")) {
            String prefix = pattern.substring(0, pattern.length() - 1);
            return tag.startsWith(prefix) ? tag.substring(prefix.length()) : null;
        }
        return pattern.equals(tag) ? "" : null;
    }
}
