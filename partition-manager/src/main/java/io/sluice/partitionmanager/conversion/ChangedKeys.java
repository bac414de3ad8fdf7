package io.sluice.partitionmanager.conversion;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Primary keys (as text, one string per key column) whose rows changed since the last verification: what must be
 * compared again, key by key, before the swap commits. In memory only: after a restart everything is verified anew.
 */
public final class ChangedKeys {

    private final Set<List<String>> keys = new LinkedHashSet<>();

    public void add(List<String> key) {
        keys.add(List.copyOf(key));
    }

    public void addAll(ChangedKeys other) {
        keys.addAll(other.keys);
    }

    public int size() {
        return keys.size();
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }

    public ChangedKeys without(ChangedKeys other) {
        ChangedKeys rest = new ChangedKeys();
        keys.stream().filter(k -> !other.keys.contains(k)).forEach(rest.keys::add);
        return rest;
    }

    /** The keys column by column: {@code n} arrays, each as long as there are keys. */
    List<String[]> columns(int n) {
        List<String[]> columns = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            final int column = i;
            columns.add(keys.stream().map(k -> k.get(column)).toArray(String[]::new));
        }
        return columns;
    }
}
