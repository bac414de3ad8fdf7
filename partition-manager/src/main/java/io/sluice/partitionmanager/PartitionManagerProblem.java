package io.sluice.partitionmanager;

import io.sluice.common.problem.ProblemType;

/** Problems only the partition manager answers with (see docs/problems.md). */
public final class PartitionManagerProblem {

    public static final ProblemType INVALID_PARTITION_SET =
            ProblemType.of("invalid-partition-set", 400, "The partition set is not valid for this table");

    public static final ProblemType MAINTENANCE_BUSY =
            ProblemType.of("maintenance-busy", 409, "Maintenance is running on another instance");

    public static final ProblemType ARCHIVE_INVALID =
            ProblemType.of("archive-invalid", 409, "The archive did not verify");

    public static final ProblemType CONVERSION_INVALID =
            ProblemType.of("conversion-invalid", 400, "The table cannot be converted");

    public static final ProblemType CONVERSION_NOT_ACCEPTED =
            ProblemType.of("conversion-not-accepted", 400, "The conversion needs items accepted");

    public static final ProblemType DDL_FAILED =
            ProblemType.of("ddl-failed", 409, "PostgreSQL refused the DDL");

    private PartitionManagerProblem() {
    }
}
