package io.sluice.replicarouter.sql;

import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.sluice.common.sql.Classification;
import io.sluice.common.sql.SqlClassifier;
import io.sluice.common.sql.SqlLexer;
import io.sluice.common.sql.SqlTables;
import io.sluice.common.sql.Token;

/**
 * What a SQL text is, worked out once per distinct text (apps repeat their statements): its classification, the
 * tables it writes and what it may leave on its connection. Bounded, so unique texts cannot grow it without limit.
 */
@ApplicationScoped
public class StatementShapes {

    /**
     * A SQL text's classification, written tables, session effect alone and inside a batch, and whether a write
     * returns rows (RETURNING), which the result limits then apply to.
     */
    public record Shape(Classification classification, Set<String> writtenTables, SessionEffect single,
            SessionEffect batched, boolean returnsRows) {
    }

    private final Cache<String, Shape> cache = Caffeine.newBuilder().maximumSize(10_000).build();
    private final SqlClassifier classifier;

    public StatementShapes(SqlClassifier classifier) {
        this.classifier = classifier;
    }

    public Shape of(String sql) {
        return cache.get(sql, StatementShapes.this::shape);
    }

    private Shape shape(String sql) {
        Classification c = classifier.classify(sql);
        List<Token> tokens = SqlLexer.tokenize(sql).stream().filter(t -> t.kind() != Token.Kind.COMMENT).toList();
        boolean returning = !c.readOnly() && tokens.stream().anyMatch(t -> t.isWord("returning"));
        // A read-only statement writes no table; only writes are searched for their tables.
        return new Shape(c, c.readOnly() ? Set.of() : SqlTables.written(sql), SessionPolicy.of(tokens, c, false),
                SessionPolicy.of(tokens, c, true), returning);
    }
}
