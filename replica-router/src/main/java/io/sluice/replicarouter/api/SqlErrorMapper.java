package io.sluice.replicarouter.api;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.sluice.common.problem.Problem;
import io.sluice.common.requestid.RequestIds;
import io.sluice.replicarouter.ReplicaRouterProblem;
import io.sluice.replicarouter.wire.SqlErrorException;

/** A statement PostgreSQL rejected: 400, in the shape both RFC 9457 clients and the Neon driver read. */
public class SqlErrorMapper {

    @ServerExceptionMapper
    public Response sqlError(SqlErrorException e, UriInfo uri) {
        var type = ReplicaRouterProblem.SQL_ERROR;
        var body = SqlProblem.of(type.uri(), type.title(), type.status(),
                Problem.instanceOf(uri.getRequestUri().getRawPath()), RequestIds.current(), e.error());
        return Response.status(type.status()).type(Problem.MEDIA_TYPE).entity(body).build();
    }
}
