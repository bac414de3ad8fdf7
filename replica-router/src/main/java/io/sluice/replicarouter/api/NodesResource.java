package io.sluice.replicarouter.api;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.sluice.replicarouter.node.NodeRegistry;
import io.smallrye.common.annotation.NonBlocking;

/** What the router knows of each node: up/down, role, WAL position, lag. */
@Path("/v1/nodes")
@Tag(name = "Nodes and pools", description = "What the router knows of each node and pool")
public class NodesResource {

    private final NodeRegistry nodes;

    public NodesResource(NodeRegistry nodes) {
        this.nodes = nodes;
    }

    @GET
    @Operation(summary = "Every node: up/down, role, WAL position, replica lag")
    @NonBlocking
    @Produces(MediaType.APPLICATION_JSON)
    public List<NodeView> nodes() {
        return nodes.all().stream().map(n -> NodeView.of(n, nodes.isStalePrimary(n))).toList();
    }
}
