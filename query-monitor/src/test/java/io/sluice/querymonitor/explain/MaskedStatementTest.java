package io.sluice.querymonitor.explain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.sluice.common.sql.SqlNormalizer;

class MaskedStatementTest {

    @Test
    void eachPlaceholderBecomesTheNextParameter() {
        MaskedStatement m = MaskedStatement.of(
                "select count(*) as received from message_recipient where member_id = ? and status in (?) limit ?");
        assertThat(m.sql()).isEqualTo(
                "select count(*) as received from message_recipient where member_id = $1 and status in ($2) limit $3");
        assertThat(m.parameters()).isEqualTo(3);
        assertThat(m.nullArguments()).isEqualTo("(NULL, NULL, NULL)");
    }

    @Test
    void aQuestionMarkInAStringAQuotedIdentifierOrAJsonbOperatorIsNoPlaceholder() {
        MaskedStatement m = MaskedStatement.of("select \"a?b\" from t where note = 'why?' and doc ?| array[?] and x = ?");
        assertThat(m.sql()).isEqualTo("select \"a?b\" from t where note = 'why?' and doc ?| array[$1] and x = $2");
        assertThat(m.parameters()).isEqualTo(2);
    }

    @Test
    void castsAndTypedLiteralsKeepTheirType() {
        String masked = SqlNormalizer.normalize(
                "SELECT * FROM m WHERE created_at > now() - interval '7 days' AND id = '5'::bigint AND d = x::date");
        assertThat(masked).isEqualTo("select * from m where created_at > now() - interval ? and id = ?::bigint and d = x::date");
        assertThat(MaskedStatement.of(masked).sql())
                .isEqualTo("select * from m where created_at > now() - $1::interval and id = $2::bigint and d = x::date");
    }

    @Test
    void noPlaceholdersNoArguments() {
        MaskedStatement m = MaskedStatement.of("select count(*) from t");
        assertThat(m.sql()).isEqualTo("select count(*) from t");
        assertThat(m.nullArguments()).isEmpty();
    }
}
