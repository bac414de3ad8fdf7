package io.sluice.replicarouter;

import org.junit.jupiter.api.Test;

import io.sluice.testing.ArchitectureRules;

/** The core never depends on the api package (plain JUnit over the compiled classes; no Quarkus started). */
class ArchitectureTest {

    @Test
    void coreDoesNotDependOnApi() {
        ArchitectureRules.assertCoreDoesNotDependOnApi("io.sluice.replicarouter");
    }
}
