package io.sluice.replicarouter.sql;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.common.problem.ProblemException;
import io.sluice.replicarouter.ReplicaRouterProblem;
import io.sluice.replicarouter.config.RouterConfig;
import io.sluice.replicarouter.wire.BatchResult;
import io.sluice.replicarouter.wire.QueryResult;
import io.sluice.replicarouter.wire.SqlResponse;

/**
 * Keeps one read from returning more rows or bytes than the router is sized for; the client should page instead.
 * Applied to reads only: a write has committed by the time its RETURNING rows are counted, so refusing the
 * answer would hide a change that happened.
 */
@ApplicationScoped
public class ResultLimits {

    private final RouterConfig config;

    public ResultLimits(RouterConfig config) {
        this.config = config;
    }

    public SqlResponse check(SqlResponse response) {
        List<QueryResult> results = response instanceof BatchResult b ? b.results() : List.of((QueryResult) response);
        long rows = 0;
        long bytes = 0;
        for (QueryResult r : results) {
            rows += r.rows().size();
            for (Object row : r.rows()) {
                bytes += sizeOf(row instanceof Map<?, ?> m ? m.values() : (Collection<?>) row);
            }
        }
        if (rows > config.limits().maxRows()) {
            throw new ProblemException(ReplicaRouterProblem.RESULT_TOO_LARGE, "The result has " + rows
                    + " rows; at most " + config.limits().maxRows() + " are returned. Add a LIMIT and page.");
        }
        if (bytes > config.limits().maxResponseBytes()) {
            throw new ProblemException(ReplicaRouterProblem.RESULT_TOO_LARGE, "The result holds more than "
                    + config.limits().maxResponseBytes() + " bytes of data. Select fewer columns or page.");
        }
        return response;
    }

    private static long sizeOf(Collection<?> values) {
        long size = 0;
        for (Object v : values) {
            size += v == null ? 4 : v.toString().length();
        }
        return size;
    }
}
