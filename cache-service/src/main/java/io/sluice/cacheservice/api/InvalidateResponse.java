package io.sluice.cacheservice.api;

import java.util.List;

/** Every tag invalidated (given and implied) and how many of the keys had an entry. */
public record InvalidateResponse(List<String> tags, int keysRemoved) {
}
