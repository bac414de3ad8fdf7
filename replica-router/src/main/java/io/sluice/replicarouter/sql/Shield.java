package io.sluice.replicarouter.sql;

import java.util.concurrent.atomic.AtomicBoolean;

import io.smallrye.mutiny.Uni;

/**
 * Runs work that must finish once started, whatever its subscriber does. Mutiny would otherwise propagate an HTTP
 * client's disconnect as a cancellation into the middle of the work: a connection being acquired would be lost to
 * the pool for good, a transaction could be left open on a connection that goes back, a committed write would not be
 * published. Instead the work runs on, and {@code onCancel} lets it stop early the way it can (a cancel request to
 * the server).
 */
final class Shield {

    private Shield() {
    }

    static <T> Uni<T> run(Uni<T> work, Runnable onCancel) {
        return Uni.createFrom().emitter(emitter -> {
            AtomicBoolean finished = new AtomicBoolean();
            // Called on completion too; only a termination before the work finished is a cancellation.
            emitter.onTermination(() -> {
                if (!finished.get()) {
                    onCancel.run();
                }
            });
            work.subscribe().with(item -> {
                finished.set(true);
                emitter.complete(item);
            }, failure -> {
                finished.set(true);
                emitter.fail(failure);
            });
        });
    }
}
