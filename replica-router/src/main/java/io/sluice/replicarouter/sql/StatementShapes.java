package io.sluice.replicarouter.sql;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.sluice.common.sql.Classification;
import io.sluice.common.sql.SqlClassifier;
import io.sluice.common.sql.SqlTables;

/**
 * What a SQL text is, worked out once per distinct text (apps repeat their statements): its classification and
 * the tables it writes. Bounded, so unique texts cannot grow it without limit.
 */
@ApplicationScoped
public class StatementShapes {

    /** A SQL text's classification and written tables. */
    public record Shape(Classification classification, Set<String> writtenTables) {
    }

    private final Cache<String, Shape> cache = Caffeine.newBuilder().maximumSize(10_000).build();
    private final SqlClassifier classifier;

    public StatementShapes(SqlClassifier classifier) {
        this.classifier = classifier;
    }

    public Shape of(String sql) {
        return cache.get(sql, s -> {
            Classification c = classifier.classify(s);
            // A read-only statement writes no table; only writes are searched for their tables.
            return new Shape(c, c.readOnly() ? Set.of() : SqlTables.written(s));
        });
    }
}
