package io.sluice.replicarouter.api;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.sluice.replicarouter.node.NodeRegistry;
import io.smallrye.common.annotation.NonBlocking;

/** What the router knows of each node: up/down, role, WAL position, lag. */
@Path("/v1/nodes")
public class NodesResource {

    private final NodeRegistry nodes;

    public NodesResource(NodeRegistry nodes) {
        this.nodes = nodes;
    }

    @GET
    @NonBlocking
    @Produces(MediaType.APPLICATION_JSON)
    public List<NodeView> nodes() {
        return nodes.all().stream().map(n -> NodeView.of(n, nodes.isStalePrimary(n))).toList();
    }
}
