package io.sluice.replicarouter.sql;

import java.util.HashSet;
import java.util.List;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.sluice.common.sql.SqlClassifier;
import io.sluice.replicarouter.config.RouterConfig;

/** The read/write classifier, with the operator's extra side-effect functions. */
public class ClassifierProducer {

    @Produces
    @Singleton
    SqlClassifier classifier(RouterConfig config) {
        return new SqlClassifier(new HashSet<>(config.classification().sideEffectFunctions().orElse(List.of())));
    }
}
