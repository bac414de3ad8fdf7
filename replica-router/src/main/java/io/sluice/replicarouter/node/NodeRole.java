package io.sluice.replicarouter.node;

/** What a node is, as its last successful probe saw it. */
public enum NodeRole {
    PRIMARY, REPLICA, UNKNOWN
}
