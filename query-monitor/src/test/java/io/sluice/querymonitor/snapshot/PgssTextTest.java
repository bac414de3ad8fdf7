package io.sluice.querymonitor.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.sluice.common.sql.SqlNormalizer;

class PgssTextTest {

    @Test
    void aPreparedStatementCountsUnderItsInnerQuerysFingerprint() {
        String inner = "select count(*) from rb_orders where customer_id = $1";
        assertThat(PgssText.statementOf("PREPARE sluice_generic_plan AS " + inner)).isEqualTo(inner);
        assertThat(PgssText.statementOf("prepare \"My Plan\" (bigint, text) as " + inner)).isEqualTo(inner);
        assertThat(SqlNormalizer.fingerprint(PgssText.statementOf("PREPARE p(int) AS " + inner)))
                .isEqualTo(SqlNormalizer.fingerprint("SELECT count(*) FROM rb_orders WHERE customer_id = 42"));
    }

    @Test
    void otherTextsAreLeftAlone() {
        assertThat(PgssText.statementOf("select 'prepare x as y'")).isEqualTo("select 'prepare x as y'");
        assertThat(PgssText.statementOf("DEALLOCATE p")).isEqualTo("DEALLOCATE p");
        assertThat(PgssText.statementOf(null)).isNull();
    }
}
