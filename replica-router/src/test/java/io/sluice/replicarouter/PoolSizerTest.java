package io.sluice.replicarouter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.sluice.replicarouter.pool.PoolSizer;

class PoolSizerTest {

    @Test
    void littlesLawAtTheUtilisationTarget() {
        // 100 statements/s holding 50 ms each keep 5 connections busy; at 70 % that is 7.14 -> 8.
        var r = PoolSizer.recommend(100, 0.050, 20, 197);
        assertThat(r.size()).isEqualTo(8);
        assertThat(r.reasoning()).contains("Little's law").contains("5.00 connections busy").contains("197");
    }

    @Test
    void theServerLimitCapsTheRecommendation() {
        var r = PoolSizer.recommend(1000, 0.100, 20, 40);
        assertThat(r.size()).isEqualTo(40);
        assertThat(r.reasoning()).contains("capped at 40");
    }

    @Test
    void anIdlePoolStillKeepsTwo() {
        assertThat(PoolSizer.recommend(0, 0, 20, -1).size()).isEqualTo(2);
        assertThat(PoolSizer.recommend(0, 0, 20, -1).reasoning()).contains("could not be read");
    }
}
