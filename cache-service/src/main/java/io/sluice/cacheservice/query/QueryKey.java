package io.sluice.cacheservice.query;

import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.common.hash.Hashes;
import io.sluice.common.sql.SqlLexer;
import io.sluice.common.sql.SqlNormalizer;
import io.sluice.common.sql.Token;

/**
 * The cache key of a query: a hash of its normalized text, the literal values the normalizer replaced by
 * {@code ?}, and the parameters. Statements that differ only in spacing, case of keywords or comments share a key;
 * different literals or parameters never do.
 */
public final class QueryKey {

    private QueryKey() {
    }

    public static String of(String sql, List<JsonNode> params) {
        String literals = SqlLexer.tokenize(sql).stream()
                .filter(t -> t.kind() == Token.Kind.STRING || t.kind() == Token.Kind.NUMBER)
                .map(t -> t.text().length() + ":" + t.text())
                .collect(Collectors.joining(","));
        String material = SqlNormalizer.normalize(sql) + "\u0000" + literals + "\u0000" + params;
        return "q:" + Hashes.sha256Hex(material, 16);
    }
}
