package io.sluice.cacheservice.redis;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Whether the Redis client talks to a Redis Cluster ({@code quarkus.redis.client-type=cluster}, docs/deploy.md). */
@ApplicationScoped
public class RedisTopology {

    private final boolean clustered;

    public RedisTopology(@ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone") String type) {
        this.clustered = "cluster".equalsIgnoreCase(type);
    }

    public boolean clustered() {
        return clustered;
    }
}
