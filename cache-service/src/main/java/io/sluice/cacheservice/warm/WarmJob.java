package io.sluice.cacheservice.warm;

import java.util.concurrent.atomic.AtomicInteger;

/** Progress of one warming request, counted in memory by the instance that runs it ({@link WarmProgressStore}). */
public final class WarmJob {

    private final String id;
    private final int total;
    private final AtomicInteger loaded = new AtomicInteger();
    private final AtomicInteger alreadyWarm = new AtomicInteger();
    private final AtomicInteger skipped = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger batches = new AtomicInteger();
    private volatile boolean done;

    public WarmJob(String id, int total) {
        this.id = id;
        this.total = total;
    }

    public String id() {
        return id;
    }

    public int total() {
        return total;
    }

    public AtomicInteger loaded() {
        return loaded;
    }

    public AtomicInteger alreadyWarm() {
        return alreadyWarm;
    }

    public AtomicInteger skipped() {
        return skipped;
    }

    public AtomicInteger failed() {
        return failed;
    }

    public AtomicInteger batches() {
        return batches;
    }

    public boolean done() {
        return done;
    }

    public void finish() {
        done = true;
    }

    public int processed() {
        return loaded.get() + alreadyWarm.get() + skipped.get() + failed.get();
    }

    public WarmProgress progress() {
        return new WarmProgress(id, done ? "done" : "running", total, processed(), loaded.get(), alreadyWarm.get(),
                skipped.get(), failed.get(), batches.get());
    }
}
