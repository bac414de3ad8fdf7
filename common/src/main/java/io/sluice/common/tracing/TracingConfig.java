package io.sluice.common.tracing;

import java.nio.file.Path;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** Sluice's own tracing keys; sampling and OTLP export are Quarkus keys (common's microprofile-config.properties). */
@ConfigMapping(prefix = "sluice.tracing")
public interface TracingConfig {

    /**
     * Appends every exported span as a JSON line to this file (tests across processes read it). Unset: nothing is
     * written. Not for production: the file grows without bound.
     */
    Optional<Path> spanFile();
}
