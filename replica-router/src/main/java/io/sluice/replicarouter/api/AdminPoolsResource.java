package io.sluice.replicarouter.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.logging.Logger;

import io.sluice.common.auth.AdminOnly;
import io.sluice.common.problem.CommonProblem;
import io.sluice.common.problem.ProblemException;
import io.sluice.replicarouter.node.NodeRegistry;
import io.smallrye.common.annotation.NonBlocking;

/** Changes a node's pool size at runtime (RB-6): new statements use the new pool at once, no restart. */
@Path("/v1/admin/pools/{node}")
@AdminOnly
public class AdminPoolsResource {

    private static final Logger LOG = Logger.getLogger(AdminPoolsResource.class);

    private final NodeRegistry nodes;

    public AdminPoolsResource(NodeRegistry nodes) {
        this.nodes = nodes;
    }

    @PUT
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
