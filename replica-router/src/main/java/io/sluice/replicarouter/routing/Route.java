package io.sluice.replicarouter.routing;

import io.sluice.replicarouter.node.Node;
import io.sluice.replicarouter.node.NodeRole;

/** The node a statement runs on, the role it was chosen for, and why. */
public record Route(Node node, NodeRole target, Reason reason) {
}
