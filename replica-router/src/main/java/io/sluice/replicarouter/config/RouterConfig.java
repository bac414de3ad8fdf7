package io.sluice.replicarouter.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import io.quarkus.runtime.configuration.MemorySize;
import io.sluice.common.history.HistorySettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "replica-router")
public interface RouterConfig {

    /** The PostgreSQL nodes by name; which one is the primary is learned by probing (pg_is_in_recovery). */
    Map<String, NodeConfig> nodes();

    Pool pool();

    Health health();

    Routing routing();

    Session session();

    Classification classification();

    /** The chart figures kept for GET /v1/history (replica-router.history.step, .points). */
    HistorySettings history();

    Limits limits();

    Auth auth();

    Reporting reporting();

    Invalidation invalidation();

    Admin admin();

    Bulk bulk();

    /** The PostgreSQL wire-protocol listener: any driver, unchanged, gets read/write splitting. */
    Wire wire();

    /**
     * Databases and users a request may select with Neon-Connection-String, by any name; each gets pools of its
     * own on every node. The router's own (the node URLs' database and user) is always allowed.
     */
    Map<String, LoginConfig> logins();

    interface LoginConfig {
        /** The database to connect to. */
        String database();

        /** The role to connect as. */
        String username();

        /**
         * Its password; the connection string must carry the same one. Unset (trust authentication): any is
         * accepted.
         */
        Optional<String> password();
    }

    /** POST /v1/bulk: many parameter rows for one statement, run in chunks as prepared batches. */
    interface Bulk {
        /** Most parameter rows in one request. */
        @WithDefault("200000")
        @Min(1)
        int maxRows();

        /** Largest request body; POST /sql keeps limits.max-body-size. */
        @WithDefault("32M")
        MemorySize maxBodySize();

        @WithDefault("1000")
        @Min(1)
        int defaultChunkSize();

        @WithDefault("10000")
        @Min(1)
        int maxChunkSize();

        /**
         * Most chunks of one request running at once, each on its own connection. With max-concurrent-requests
         * this bounds the pool connections bulk work can hold, so single statements keep getting connections.
         */
        @WithDefault("4")
        @Min(1)
        int maxParallelism();

        /** Bulk requests running at once on this instance; more get 429 with Retry-After. */
        @WithDefault("2")
        @Min(1)
        int maxConcurrentRequests();
    }

    interface Wire {
        /** Off by default: the listener only starts when enabled. */
        @WithDefault("false")
        boolean enabled();

        /** The interface to listen on. */
        @WithDefault("127.0.0.1")
        String host();

        /** The port (6432 like PgBouncer; 0 picks a free one, for tests). */
        @WithDefault("6432")
        @Min(0)
        @Max(65535)
        int port();

        /**
         * Users a client may log in as, name to password, checked by SCRAM-SHA-256. The server side always runs as
         * the router's own login (the node URLs' database and user).
         */
        Map<String, String> users();

        /** Server connections per node, shared by every wire client (separate from the /sql pools). */
        @WithDefault("20")
        @Min(1)
        @Max(1000)
        int poolSize();

        /** How long a client may take to log in before it is disconnected. */
        @WithDefault("10s")
        Duration loginTimeout();

        /** Largest message a client may send; a larger one is a protocol error. */
        @WithDefault("64M")
        MemorySize maxMessageSize();
    }

    interface Admin {
        /** Read by common's {@code AdminToken} (the @AdminOnly guard); declared so the mapping knows the key. */
        Optional<String> token();
    }

    interface Reporting {
        /** query-monitor's base URL (http://host:8081); without it, statements are not reported. */
        Optional<String> queryMonitorUrl();

        /** Samples waiting to be sent; when full, new ones are dropped and counted, never waited for. */
        @WithDefault("50000")
        @Min(1)
        int bufferSize();

        /** Samples per POST. */
        @WithDefault("1000")
        @Min(1)
        @Max(1000)
        int batchSize();

        /** Batches sent to query-monitor at once when the buffer holds more than one. */
        @WithDefault("4")
        @Min(1)
        @Max(16)
        int maxInFlight();

        /** How often the buffer is sent. */
        @WithDefault("1s")
        Duration flushInterval();
    }

    interface Invalidation {
        /** The Redis Stream that gets the tables of every committed write (read by cache-service). */
        @WithDefault("sluice:replicarouter:{invalidations}")
        String stream();

        /** Approximate length the stream is trimmed to. */
        @WithDefault("100000")
        @Min(1000)
        long maxLength();
    }

    interface Auth {
        /** Bearer tokens that may use /sql; when none is set, /sql is open (local development). */
        Optional<List<String>> clientTokens();
    }

    interface NodeConfig {
        /** postgresql://host:port/database */
        String url();

        /** Database user; defaults to SLUICE_PG_USER. */
        @WithDefault("${SLUICE_PG_USER:postgres}")
        String username();

        /** Database password; defaults to SLUICE_PG_PASSWORD. */
        @WithDefault("${SLUICE_PG_PASSWORD:}")
        Optional<String> password();
    }

    interface Pool {
        /** Connections per node. */
        @WithDefault("20")
        @Min(1)
        @Max(1000)
        int maxSize();

        /** Requests that may wait for a connection per node before new ones are refused. */
        @WithDefault("256")
        @Min(0)
        int maxWaitQueue();

        /**
         * The longest a request waits for a connection of a node's pool (queued behind others, or while one is
         * opened); past it, or with the wait queue full, the answer is a fast 503 overloaded with Retry-After.
         */
        @WithDefault("1s")
        Duration acquireTimeout();

        /** How long a new connection may take; also bounds how long a write waits for a dead primary. */
        @WithDefault("2s")
        Duration connectTimeout();

        /** A connection held longer than this is reported as a suspected leak, with the request that took it. */
        @WithDefault("10s")
        Duration leakThreshold();

        /** Router instances sharing the database: the sizing advice divides max_connections among them. */
        @WithDefault("1")
        @Min(1)
        int routerInstances();
    }

    interface Health {
        /** How often every node is probed. */
        @WithDefault("1s")
        Duration interval();

        /** A probe slower than this counts as a failure. */
        @WithDefault("1s")
        Duration timeout();

        /** Consecutive failed probes before a node is marked down. */
        @WithDefault("3")
        @Min(1)
        int downAfter();

        /** Consecutive good probes before a down node is marked up again. */
        @WithDefault("2")
        @Min(1)
        int upAfter();
    }

    interface Routing {
        /** Replicas further behind the primary than this get no reads. */
        @WithDefault("1s")
        Duration maxLag();

        /** Consecutive connection failures of requests that open a node's circuit (no reads for a while). */
        @WithDefault("5")
        @Min(1)
        int circuitFailures();

        /** How long an open circuit keeps reads away from the node. */
        @WithDefault("5s")
        Duration circuitOpenFor();

        /** How reads are spread over eligible replicas. */
        @WithDefault("round-robin")
        Strategy strategy();

        enum Strategy {
            ROUND_ROBIN, LEAST_OUTSTANDING
        }
    }

    interface Session {
        /** How long a Sluice-Session remembers its last commit LSN. */
        @WithDefault("5m")
        Duration ttl();

        /**
         * When a connection's session is reset before it goes back to the pool: {@code when-needed} after any
         * statement that may have left state (everything but reads calling only built-in functions), or
         * {@code always} (also after plain reads, e.g. when views or row-level security policies call functions that
         * change session settings).
         */
        @WithDefault("when-needed")
        Reset reset();

        enum Reset {
            WHEN_NEEDED, ALWAYS
        }
    }

    interface Classification {
        /** Functions with side effects beyond the built-in list (nextval, setval, pg_advisory_*, set_config, ...). */
        Optional<List<String>> sideEffectFunctions();
    }

    interface Limits {
        /** Most statements in one batch (one transaction). */
        @WithDefault("100")
        @Min(1)
        @Max(10_000)
        int maxBatchStatements();

        /** Most parameters of one statement (PostgreSQL's own limit is 65535). */
        @WithDefault("65535")
        @Min(0)
        int maxParams();

        /** statement_timeout of every statement unless the request asks for another (Sluice-Statement-Timeout). */
        @WithDefault("30s")
        Duration statementTimeout();

        /** The longest statement_timeout a request may ask for. */
        @WithDefault("5m")
        Duration maxStatementTimeout();

        /** Most rows a read may return; more is a 413 problem (the client should page). */
        @WithDefault("10000")
        @Min(1)
        int maxRows();

        /** Largest POST /sql body; more is a 413 problem. */
        @WithDefault("1M")
        MemorySize maxBodySize();

        /** Most bytes of row data a read may return; more is a 413 problem. */
        @WithDefault("10000000")
        @Min(1)
        long maxResponseBytes();
    }
}
