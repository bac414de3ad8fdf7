package io.sluice.partitionmanager.config;

import java.time.Duration;
import java.util.Optional;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "partition-manager")
public interface PartitionManagerConfig {

    Maintenance maintenance();

    Ddl ddl();

    Lock lock();

    History history();

    Archive archive();

    Conversion conversion();

    /** Bearer token for every state-changing endpoint; none set means they answer 403 (default SLUICE_ADMIN_TOKEN). */
    Admin admin();

    interface Admin {
        /** Read by common's {@code AdminToken} (the @AdminOnly guard); declared so the mapping knows the key. */
        Optional<String> token();
    }

    interface Maintenance {
        /** Quartz-style cron of the scheduled run (seconds first); hourly by default. "off" disables it. */
        @WithDefault("0 0 * * * ?")
        String cron();
    }

    interface Ddl {
        /** lock_timeout of every DDL statement: a DDL waiting longer gives up instead of queueing the application. */
        @WithDefault("2s")
        Duration lockTimeout();

        /** Attempts per DDL statement when it hits lock_timeout (55P03). */
        @WithDefault("5")
        @Min(1)
        int attempts();

        /** Base backoff between attempts; each wait is a random value in [base, 2*base*attempt]. */
        @WithDefault("200ms")
        Duration backoff();
    }

    interface Lock {
        /** How long the Redis maintenance lock lives if its holder dies without releasing it. */
        @WithDefault("15m")
        Duration ttl();
    }

    interface History {
        /** Successful runs kept in GET /v1/runs. */
        @WithDefault("200")
        @Min(1)
        int keepSuccesses();

        /** Failed or refused runs kept: more than successes, they are what an operator looks for. */
        @WithDefault("1000")
        @Min(1)
        int keepErrors();
    }

    interface Archive {
        /** Directory of the file store when a set names no path. */
        @WithDefault("/var/lib/sluice/archives")
        String path();
    }

    interface Conversion {
        /** Rows copied per batch. */
        @WithDefault("1000")
        @Min(1)
        @Max(100000)
        int batchSize();

        /** Pause between batches, so the copy leaves room for the application. */
        @WithDefault("0ms")
        Duration throttle();

        /**
         * Attempts of the swap transaction when it hits lock_timeout (busy writers); between attempts the change log
         * is replayed outside the lock, so each attempt has less to do. After the last one the conversion waits for
         * a resume.
         */
        @WithDefault("30")
        @Min(1)
        int swapAttempts();

        /**
         * lock_timeout of the swap's ACCESS EXCLUSIVE lock request: while it waits for transactions already on the
         * table, new reads and writes queue behind it, so this bounds that wait; a timeout is retried (swap-attempts).
         */
        @WithDefault("500ms")
        Duration swapLockTimeout();

        /** Resume conversions left unfinished by a crash or restart when the service starts. */
        @WithDefault("true")
        boolean resumeOnStart();
    }
}
