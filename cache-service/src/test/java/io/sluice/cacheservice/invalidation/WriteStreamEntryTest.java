package io.sluice.cacheservice.invalidation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.sluice.cacheservice.tag.Tags;
import io.sluice.common.sql.Lsn;

class WriteStreamEntryTest {

    @Test
    void tablesBecomeTableTagsAndStarTheDatabaseTag() {
        WriteStreamEntry e = WriteStreamEntry.parse("1-0", Map.of("tables", "public.orders, items,*",
                "lsn", "0/16B3748", "at", "1700000000000", "traceparent",
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
        assertThat(e.id()).isEqualTo("1-0");
        assertThat(e.tags()).containsExactly("table:orders", "table:items", Tags.DATABASE);
        assertThat(e.lsn()).isEqualTo(Lsn.parse("0/16B3748")).isPositive();
        assertThat(e.at()).isEqualTo(1_700_000_000_000L);
        assertThat(e.traceparent()).startsWith("00-0af7");
        assertThat(e.touchesTables()).isTrue();
    }

    @Test
    void anEntryWithoutTablesInvalidatesNothingAndHasNoLagStamp() {
        WriteStreamEntry e = WriteStreamEntry.parse("2-0", Map.of("tables", " ", "lsn", "0/10", "at", "5"));
        assertThat(e.tags()).isEmpty();
        assertThat(e.touchesTables()).isFalse();
        assertThat(e.at()).isEqualTo(-1);
        assertThat(e.lsn()).isEqualTo(Lsn.parse("0/10"));
    }

    @Test
    void anUnreadableLsnOrStampIsIgnoredNotFatal() {
        WriteStreamEntry e = WriteStreamEntry.parse("3-0", Map.of("tables", "t", "lsn", "not-an-lsn", "at", "x"));
        assertThat(e.tags()).containsExactly("table:t");
        assertThat(e.lsn()).isZero();
        assertThat(e.at()).isEqualTo(-1);
        assertThat(e.traceparent()).isNull();
    }
}
