package io.sluice.cacheservice.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;

class InFlightLimitTest {

    private final AtomicInteger started = new AtomicInteger();
    private final List<CompletableFuture<String>> replies = new ArrayList<>();

    /** A command that counts its start and answers when the test completes its reply. */
    private Uni<String> command() {
        CompletableFuture<String> reply = new CompletableFuture<>();
        replies.add(reply);
        return Uni.createFrom().deferred(() -> {
            started.incrementAndGet();
            return Uni.createFrom().completionStage(reply);
        });
    }

    @Test
    void commandsBeyondTheLimitWaitTheirTurnAndACancelledWaiterGivesItsTurnAway() {
        InFlightLimit limit = new InFlightLimit(2);
        List<UniAssertSubscriber<String>> calls = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            calls.add(limit.run(command()).subscribe().withSubscriber(UniAssertSubscriber.create()));
        }
        assertThat(started).hasValue(2);
        assertThat(limit.inFlight()).isEqualTo(2);

        replies.get(0).complete("a");
        calls.get(0).assertItem("a");
        assertThat(started).as("the first waiter got the freed slot").hasValue(3);

        calls.get(3).cancel();
        replies.get(1).complete("b");
        assertThat(started).as("the cancelled one never ran; the next took its turn").hasValue(4);
        assertThat(replies.get(3).isDone()).isFalse();

        calls.get(2).cancel();   // a command in flight cancelled (its deadline): its slot is freed too
        replies.get(4).complete("e");
        calls.get(4).assertItem("e");
        assertThat(limit.inFlight()).isZero();
    }
}
