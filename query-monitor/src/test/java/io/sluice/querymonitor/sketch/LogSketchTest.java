package io.sluice.querymonitor.sketch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LogSketchTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void percentilesAreWithinOnePercentOfTheExactValues(long seed) {
        Random random = new Random(seed);
        double[] values = new double[50_000];
        LogSketch sketch = new LogSketch(0.01);
        for (int i = 0; i < values.length; i++) {
            // Log-normal around 5 ms with a long tail, like query latencies.
            values[i] = Math.exp(Math.log(5) + 1.2 * random.nextGaussian());
            sketch.add(values[i]);
        }
        Arrays.sort(values);
        for (double q : new double[] {0.5, 0.9, 0.95, 0.99, 0.999}) {
            double exact = values[(int) Math.floor(q * (values.length - 1))];
            assertThat(sketch.quantile(q)).as("p%s", q * 100).isCloseTo(exact, within(exact * 0.01));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 7})
    void mergedSketchesAnswerLikeOneSketchOfAllValues(int parts) {
        Random random = new Random(parts);
        LogSketch whole = new LogSketch(0.01);
        LogSketch merged = new LogSketch(0.01);
        LogSketch[] pieces = new LogSketch[parts];
        for (int p = 0; p < parts; p++) {
            pieces[p] = new LogSketch(0.01);
        }
        for (int i = 0; i < 10_000; i++) {
            double v = random.nextDouble() * 300;
            whole.add(v);
            pieces[i % parts].add(v);
        }
        for (LogSketch piece : pieces) {
            merged.merge(piece);
        }
        assertThat(merged.count()).isEqualTo(whole.count());
        assertThat(merged.buckets()).isEqualTo(whole.buckets());
        assertThat(merged.quantile(0.95)).isEqualTo(whole.quantile(0.95));
    }

    @org.junit.jupiter.api.Test
    void anEmptySketchAnswersZeroAndZeroDurationsCount() {
        LogSketch sketch = new LogSketch(0.01);
        assertThat(sketch.quantile(0.99)).isZero();
        sketch.add(0);
        sketch.add(0);
        sketch.add(10);
        assertThat(sketch.quantile(0.5)).isZero();
        assertThat(sketch.quantile(1.0)).isCloseTo(10, within(0.1));
    }
}
