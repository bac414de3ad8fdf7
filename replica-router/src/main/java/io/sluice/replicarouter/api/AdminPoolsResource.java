package io.sluice.replicarouter.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import io.sluice.common.auth.AdminOnly;
import io.sluice.common.problem.CommonProblem;
import io.sluice.common.problem.ProblemException;
import io.sluice.replicarouter.node.NodeRegistry;
import io.smallrye.common.annotation.NonBlocking;

/** Changes a node's pool size at runtime (RB-6): new statements use the new pool at once, no restart. */
@Path("/v1/admin/pools/{node}")
@AdminOnly
@Tag(name = "Admin", description = "Operator endpoints: the admin token (RB-2, RB-4, RB-6)")
public class AdminPoolsResource {

    private static final Logger LOG = Logger.getLogger(AdminPoolsResource.class);

    private final NodeRegistry nodes;

    public AdminPoolsResource(NodeRegistry nodes) {
        this.nodes = nodes;
    }

    @PUT
    @Operation(summary = "Resize a node's pool at runtime", description = "New statements use the new size at once.")
    @APIResponse(responseCode = "200", description = "The pool's size now",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = PoolSizeRequest.class)))
    @APIResponse(responseCode = "404", description = "`not-found`: no node of that name (GET /v1/nodes)")
    @NonBlocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public PoolSizeRequest resize(@PathParam("node") String name, @Valid @NotNull PoolSizeRequest request) {
        var node = nodes.byName(name).orElseThrow(() -> new ProblemException(CommonProblem.NOT_FOUND,
                "No node named '" + name + "'; see GET /v1/nodes"));
        int before = node.maxSize();
        nodes.resize(node, request.maxSize());
        LOG.infof("admin resized the pool of %s from %d to %d", name, before, request.maxSize());
        return new PoolSizeRequest(node.maxSize());
    }
}
