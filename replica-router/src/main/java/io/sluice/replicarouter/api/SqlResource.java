package io.sluice.replicarouter.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.sluice.replicarouter.sql.SqlExecutor;
import io.sluice.replicarouter.sql.SqlRequest;
import io.sluice.replicarouter.sql.SqlResult;
import io.smallrye.mutiny.Uni;

/** SQL over HTTP: apps send a statement and parameters instead of holding their own connections. */
@Path("/sql")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class SqlResource {

    private final SqlExecutor executor;

    public SqlResource(SqlExecutor executor) {
        this.executor = executor;
    }

    @POST
    public Uni<SqlResult> execute(@Valid @NotNull SqlRequest request) {
        return executor.execute(request);
    }
}
