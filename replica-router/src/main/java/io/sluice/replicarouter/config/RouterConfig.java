package io.sluice.replicarouter.config;

import java.util.List;
import java.util.Optional;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "replica-router")
public interface RouterConfig {

    Classification classification();

    Limits limits();

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
    }
}
