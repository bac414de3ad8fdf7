package io.sluice.cacheservice.api;

import java.util.List;

/** Tags and/or keys to invalidate; a key is {namespace, key} (query entries: the key from X-Cache-Key). */
public record InvalidateRequest(List<String> tags, List<KeyRef> keys) {

    public record KeyRef(String namespace, String key) {
    }
}
