package io.sluice.ratelimiter.tracing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Singleton;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.sluice.common.tracing.SpanStartRewriter;
import io.sluice.ratelimiter.gcra.RedisKeys;

/**
 * The operator API names the API key in its path ({@code /v1/ratelimit/keys/{key}}), and the HTTP server span
 * records the path: this replaces the key by {@code {key}} before any exporter sees the span, and adds the key's
 * hash ({@code sluice.key_hash}, as in logs and Redis keys) so a trace can still be matched to a key.
 */
@Singleton
public class KeyPathMasking extends SpanStartRewriter {

    static final AttributeKey<String> KEY_HASH = AttributeKey.stringKey("sluice.key_hash");
    /** The stable (url.path) and the old (http.target) names of the request path. */
    private static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
    private static final AttributeKey<String> HTTP_TARGET = AttributeKey.stringKey("http.target");
    private static final Pattern KEY_SEGMENT = Pattern.compile("^(/v1/ratelimit/keys/)([^/?#]+)");

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        mask(span, URL_PATH);
        mask(span, HTTP_TARGET);
    }

    private static void mask(ReadWriteSpan span, AttributeKey<String> key) {
        String path = span.getAttribute(key);
        if (path == null) {
            return;
        }
        Matcher m = KEY_SEGMENT.matcher(path);
        if (m.find()) {
            span.setAttribute(KEY_HASH, RedisKeys.hash(decoded(m.group(2))));
            span.setAttribute(key, m.group(1) + "{key}" + path.substring(m.end()));
        }
    }

    /** The path parameter JAX-RS hands the resource is decoded; hash the same text. */
    private static String decoded(String segment) {
        try {
            return java.net.URLDecoder.decode(segment.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return segment;
        }
    }
}
