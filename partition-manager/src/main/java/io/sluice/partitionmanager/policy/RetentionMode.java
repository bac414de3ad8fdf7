package io.sluice.partitionmanager.policy;

import com.fasterxml.jackson.annotation.JsonAlias;

public enum RetentionMode {
    @JsonAlias("drop")
    DROP,
    @JsonAlias("detach")
    DETACH,
    @JsonAlias("archive")
    ARCHIVE
}
