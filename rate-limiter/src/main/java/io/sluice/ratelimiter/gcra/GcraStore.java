package io.sluice.ratelimiter.gcra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.sluice.ratelimiter.policy.Policy;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Response;

/**
 * Runs the GCRA script (EVALSHA; EVAL once when Redis lost its script cache): all policies of a key are read,
 * decided and written atomically on the server, on Redis time, in one round trip.
 */
@ApplicationScoped
public class GcraStore {

    private static final String SCRIPT = load("/gcra/gcra.lua");
    private static final String SHA = sha1(SCRIPT);
    /** DEL the counters, then the key's change time: max(Redis time µs, previous + 1), see {@link KeyChange}. */
    private static final String RESET = "redis.call('DEL', KEYS[1]) local settings = KEYS[2] " + KeyChange.BUMP;

    private final ReactiveRedisDataSource redis;
    private final ScriptConnection script;

    public GcraStore(ReactiveRedisDataSource redis, ScriptConnection script) {
        this.redis = redis;
        this.script = script;
    }

    /**
     * @param keyHash  the hashed API key (the hash tag of its Redis keys)
     * @param stateKey its counters' Redis key ({@link RedisKeys#state})
     * @param version  the settings version the policies were resolved from ("0": none stored)
     * @param cost     what this request spends; 0 only looks
     */
    public Uni<ScriptReply> evaluate(String keyHash, String stateKey, String version, long cost, List<Policy> policies) {
        List<String> args = new ArrayList<>(7 + policies.size() * 4);
        args.add(SHA);
        args.add("2");
        args.add(stateKey);
        args.add(RedisKeys.settings(keyHash));
        args.add(version);
        args.add(Long.toString(cost));
        args.add(Integer.toString(policies.size()));
        for (Policy p : policies) {
            args.add(p.name());
            args.add(Long.toString(p.intervalMicros()));
            args.add(Long.toString(p.toleranceMicros()));
            args.add(p.shadow() ? "0" : "1");
        }
        return script.send(Command.EVALSHA, args)
                .onFailure(GcraStore::isNoScript).recoverWithUni(() -> {
                    args.set(0, SCRIPT);
                    return script.send(Command.EVAL, args);
                })
                .map(reply -> toReply(reply, policies));
    }

    /**
     * Forgets a key's counters (the operator's reset); its settings stay. Records the change in the settings hash
     * (same hash tag) in the same script, and returns it, so every instance can drop refusals it cached before.
     */
    public Uni<Long> reset(String keyHash, String stateKey) {
        return redis.execute("EVAL", RESET, "2", stateKey, RedisKeys.settings(keyHash)).map(Response::toLong);
    }

    private static boolean isNoScript(Throwable t) {
        return t.getMessage() != null && t.getMessage().startsWith("NOSCRIPT");
    }

    private static ScriptReply toReply(Response reply, List<Policy> policies) {
        if (reply.get(0).toLong() == -1) {
            return new ScriptReply.StaleSettings(reply.get(1).toString(), reply.get(2).toString());
        }
        List<PolicyState> states = new ArrayList<>(policies.size());
        for (int i = 0; i < policies.size(); i++) {
            int at = 3 + i * 4;
            states.add(new PolicyState(policies.get(i), reply.get(at).toLong() == 1, reply.get(at + 1).toLong(),
                    reply.get(at + 2).toLong(), reply.get(at + 3).toLong()));
        }
        return new ScriptReply.Evaluated(reply.get(0).toLong() == 1, states, reply.get(2).toLong());
    }

    private static String load(String resource) {
        try (InputStream in = GcraStore.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new UncheckedIOException(new IOException("Missing script " + resource, e));
        }
    }

    private static String sha1(String text) {
        try {
            return java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is always available", e);
        }
    }
}
