package io.sluice.ratelimiter.api;

import java.net.URI;
import java.util.List;

/**
 * The 429 body: an RFC 9457 problem of type {@code quota-exceeded} that also carries the whole decision
 * (tier, source, every policy) and names the violated policies.
 */
public record QuotaExceeded(URI type, String title, int status, String detail, URI instance, String requestId,
        long retryAfterSeconds, String decision, boolean allowed, String tier, String source,
        List<String> violatedPolicies, List<PolicyView> policies) {
}
