package io.sluice.cacheservice.api;

import io.sluice.cacheservice.warm.WarmProgress;

/** Progress of a warming job. */
public record WarmJobView(String id, String state, int total, int processed, int loaded, int alreadyWarm,
        int skipped, int failed, int batches) {

    static WarmJobView of(WarmProgress p) {
        return new WarmJobView(p.id(), p.state(), p.total(), p.processed(), p.loaded(), p.alreadyWarm(), p.skipped(),
                p.failed(), p.batches());
    }
}
