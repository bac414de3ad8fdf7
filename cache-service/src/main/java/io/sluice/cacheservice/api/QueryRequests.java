package io.sluice.cacheservice.api;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.cacheservice.CacheServiceProblem;
import io.sluice.cacheservice.config.CacheServiceConfig;
import io.sluice.cacheservice.entry.CacheKey;
import io.sluice.cacheservice.query.QuerySpec;
import io.sluice.cacheservice.tag.Tags;
import io.sluice.common.problem.CommonProblem;
import io.sluice.common.problem.ProblemException;
import io.sluice.common.sql.Classification;
import io.sluice.common.sql.SqlClassifier;

/** Validates requests into specs: bounded TTLs and stale windows, tags, and read-only SQL only. */
@ApplicationScoped
public class QueryRequests {

    static final int MAX_SQL_LENGTH = 100_000;
    static final int MAX_PARAMS = 1000;
    static final int MAX_TAGS = 50;

    private final CacheServiceConfig config;
    private final SqlClassifier classifier = new SqlClassifier(java.util.Set.of());

    public QueryRequests(CacheServiceConfig config) {
        this.config = config;
    }

    public QuerySpec toSpec(QueryRequest r) {
        String namespace = CacheKey.validateNamespace(r.namespace());
        if (r.sql().length() > MAX_SQL_LENGTH) {
            throw invalid("sql is longer than " + MAX_SQL_LENGTH + " characters");
        }
        Classification c = classifier.classify(r.sql());
        if (!c.readOnly()) {
            throw new ProblemException(CacheServiceProblem.NOT_READ_ONLY,
                    "Only read-only statements are cached; this one is not (" + c.reason() + ")");
        }
        List<JsonNode> params = r.params() == null ? List.of() : r.params();
        if (params.size() > MAX_PARAMS) {
            throw invalid("at most " + MAX_PARAMS + " params");
        }
        return new QuerySpec(namespace, r.sql(), params, ttl(r.ttlSeconds()), tags(r.tags()),
                stale(r.staleWhileRevalidateSeconds(), "stale_while_revalidate_s"),
                stale(r.staleIfErrorSeconds(), "stale_if_error_s"));
    }

    public long ttl(Long seconds) {
        if (seconds == null) {
            return config.defaultTtl().toSeconds();
        }
        if (seconds < 1 || seconds > config.maxTtl().toSeconds()) {
            throw invalid("ttl_s must be between 1 and " + config.maxTtl().toSeconds());
        }
        return seconds;
    }

    public List<String> tags(List<String> tags) {
        if (tags == null) {
            return List.of();
        }
        if (tags.size() > MAX_TAGS) {
            throw invalid("at most " + MAX_TAGS + " tags");
        }
        return tags.stream().map(Tags::validate).toList();
    }

    private long stale(Long seconds, String field) {
        if (seconds == null) {
            return 0;
        }
        if (seconds < 0 || seconds > config.maxStale().toSeconds()) {
            throw invalid(field + " must be between 0 and " + config.maxStale().toSeconds());
        }
        return seconds;
    }

    static ProblemException invalid(String detail) {
        return new ProblemException(CommonProblem.VALIDATION_FAILED, detail);
    }
}
