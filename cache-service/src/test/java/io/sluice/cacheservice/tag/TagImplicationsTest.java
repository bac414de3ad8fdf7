package io.sluice.cacheservice.tag;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TagImplicationsTest {

    @Test
    void followsWildcardImplicationsTransitively() {
        var rules = new TagImplications(Map.of("org:*", List.of("users:org:*"), "users:org:*", List.of("profiles:org:*")));
        assertThat(rules.expand(List.of("org:7"))).containsExactly("org:7", "users:org:7", "profiles:org:7");
        assertThat(rules.expand(List.of("team:1"))).containsExactly("team:1");
    }

    @Test
    void cyclesStop() {
        var rules = new TagImplications(Map.of("a", List.of("b"), "b", List.of("a")));
        assertThat(rules.expand(List.of("a"))).containsExactly("a", "b");
    }

    @Test
    void tablesDropThePublicSchema() {
        assertThat(Tags.table("public.orders")).isEqualTo(Tags.table("orders")).isEqualTo("table:orders");
        assertThat(Tags.table("billing.orders")).isEqualTo("table:billing.orders");
    }
}
