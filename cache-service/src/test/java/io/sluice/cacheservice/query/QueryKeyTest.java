package io.sluice.cacheservice.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;

class QueryKeyTest {

    private static final List<JsonNode> NONE = List.of();

    @Test
    void formattingCaseAndCommentsDoNotChangeTheKey() {
        assertThat(QueryKey.of("SELECT a FROM t WHERE id = $1", List.of(IntNode.valueOf(1))))
                .isEqualTo(QueryKey.of("select  a\nfrom t /* c */ where id=$1;", List.of(IntNode.valueOf(1))));
    }

    @Test
    void literalsAndParametersDoChangeIt() {
        assertThat(QueryKey.of("SELECT a FROM t WHERE id = 1", NONE))
                .isNotEqualTo(QueryKey.of("SELECT a FROM t WHERE id = 2", NONE));
        assertThat(QueryKey.of("SELECT a FROM t WHERE n = 'x'", NONE))
                .isNotEqualTo(QueryKey.of("SELECT a FROM t WHERE n = 'y'", NONE));
        assertThat(QueryKey.of("SELECT a FROM t WHERE id IN (1, 2)", NONE))
                .isNotEqualTo(QueryKey.of("SELECT a FROM t WHERE id IN (1, 3)", NONE));
        assertThat(QueryKey.of("SELECT $1", List.of(IntNode.valueOf(1))))
                .isNotEqualTo(QueryKey.of("SELECT $1", List.of(TextNode.valueOf("1"))));
    }

    @Test
    void theKeyHasNoBracesAndIsShort() {
        String key = QueryKey.of("SELECT 1", NONE);
        assertThat(key).startsWith("q:").doesNotContain("{").hasSize(2 + 32);
    }
}
