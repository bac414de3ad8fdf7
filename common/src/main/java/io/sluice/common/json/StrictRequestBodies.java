package io.sluice.common.json;

import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

/**
 * How every service reads a JSON request body: like the application's ObjectMapper, but a field the endpoint does
 * not know, or anything after the JSON value, is a 400 ({@code malformed-request} naming the field) instead of being
 * silently dropped, so a misspelt option never looks accepted. Only request bodies are strict: what a service reads
 * back from Redis or files keeps the lenient mapper, so a field added by a newer version does not break an older one.
 */
@Provider
public class StrictRequestBodies implements ContextResolver<ObjectMapper> {

    private final ObjectMapper strict;

    public StrictRequestBodies(ObjectMapper mapper) {
        this.strict = strict(mapper);
    }

    /** A strict copy of {@code mapper}, for a body an endpoint reads itself (replica-router's /sql). */
    public static ObjectMapper strict(ObjectMapper mapper) {
        return mapper.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** A reader of {@code type} that is strict in the same way. */
    public static ObjectReader reader(ObjectMapper mapper, Class<?> type) {
        return mapper.readerFor(type).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    @Override
    public ObjectMapper getContext(Class<?> type) {
        return strict;
    }
}
