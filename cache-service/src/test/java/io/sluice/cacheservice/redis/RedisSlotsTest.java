package io.sluice.cacheservice.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class RedisSlotsTest {

    @Test
    void slotsAreRedisClusters() {
        // Values from CLUSTER KEYSLOT on Redis 7 (and the CRC16 test vector of the cluster spec: 0x31C3).
        assertThat(RedisSlots.crc16("123456789".getBytes())).isEqualTo(0x31C3);
        assertThat(RedisSlots.slot("x")).isEqualTo(16287);
        assertThat(RedisSlots.slot("a")).isEqualTo(15495);
        assertThat(RedisSlots.slot("sluice:cacheservice:t:{x}")).isEqualTo(16287);
        assertThat(RedisSlots.slot("{}x")).isEqualTo(RedisSlots.slot("{}x"));
    }

    @Test
    void keysAreGroupedBySlotOnlyOnACluster() {
        List<String> keys = List.of("p:{a}:1", "p:{x}", "p:{a}:2");
        assertThat(RedisSlots.groups(keys, false)).containsExactly(keys);
        assertThat(RedisSlots.groups(keys, true)).containsExactly(List.of("p:{a}:1", "p:{a}:2"), List.of("p:{x}"));
    }
}
