package io.sluice.cacheservice.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Redis Cluster's key-to-slot rule (CRC16-XMODEM of the key's {hash tag}, or of the whole key, mod 16384), so that
 * a multi-key read can be split into one command per slot: no command ever spans slots on a cluster.
 */
public final class RedisSlots {

    public static final int SLOTS = 16384;

    private RedisSlots() {
    }

    public static int slot(String key) {
        int open = key.indexOf('{');
        if (open >= 0) {
            int close = key.indexOf('}', open + 1);
            if (close > open + 1) {
                key = key.substring(open + 1, close);
            }
        }
        return crc16(key.getBytes(StandardCharsets.UTF_8)) % SLOTS;
    }

    /** The keys grouped by slot, in first-seen order; with {@code clustered} false, one group holds them all. */
    public static List<List<String>> groups(List<String> keys, boolean clustered) {
        if (!clustered) {
            return List.of(keys);
        }
        Map<Integer, List<String>> bySlot = new LinkedHashMap<>();
        for (String k : keys) {
            bySlot.computeIfAbsent(slot(k), s -> new ArrayList<>()).add(k);
        }
        return new ArrayList<>(bySlot.values());
    }

    static int crc16(byte[] bytes) {
        int crc = 0;
        for (byte b : bytes) {
            crc ^= (b & 0xff) << 8;
            for (int i = 0; i < 8; i++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            crc &= 0xffff;
        }
        return crc;
    }
}
