package io.sluice.replicarouter;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;

/**
 * Test-only route that makes one outgoing call the way the services do (a Vert.x WebClient from Quarkus's Vertx,
 * as cache-service's router loader and replica-router's reporter do), to show what tracing does to such calls.
 */
@Path("/test-only/call")
public class OutgoingCallResource {

    private final WebClient client;

    OutgoingCallResource(Vertx vertx) {
        this.client = WebClient.create(vertx);
    }

    @GET
    public Uni<Integer> call(@QueryParam("url") String url) {
        return client.getAbs(url).send().map(r -> r.statusCode());
    }
}
