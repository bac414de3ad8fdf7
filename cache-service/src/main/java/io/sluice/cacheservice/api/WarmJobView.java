package io.sluice.cacheservice.api;

import io.sluice.cacheservice.warm.WarmJob;

/** Progress of a warming job. */
public record WarmJobView(String id, String state, int total, int processed, int loaded, int alreadyWarm,
        int skipped, int failed, int batches) {

    static WarmJobView of(WarmJob j) {
        return new WarmJobView(j.id(), j.done() ? "done" : "running", j.total(), j.processed(), j.loaded().get(),
                j.alreadyWarm().get(), j.skipped().get(), j.failed().get(), j.batches().get());
    }
}
