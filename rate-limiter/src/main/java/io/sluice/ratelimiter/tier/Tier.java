package io.sluice.ratelimiter.tier;

/** Service tiers, from the most to the least restricted. */
public enum Tier {
    FREE, STANDARD, PRO, ENTERPRISE
}
