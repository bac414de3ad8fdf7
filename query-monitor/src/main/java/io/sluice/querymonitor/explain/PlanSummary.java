package io.sluice.querymonitor.explain;

import java.util.ArrayList;
import java.util.List;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What an operator looks at first in a plan: sequential scans over many rows, row estimates far from the actual
 * rows (ANALYZE only) and the node with the highest cost of its own (its total cost minus its children's).
 */
public record PlanSummary(double totalCost, Double executionTimeMs, List<SeqScan> seqScans,
        List<Misestimate> misestimates, Node mostExpensive) {

    public record SeqScan(String relation, double estimatedRows, Long rowsRemovedByFilter) {
    }

    public record Misestimate(String nodeType, String relation, double estimatedRows, double actualRows) {
    }

    public record Node(String nodeType, String relation, double ownCost) {
    }

    /** Estimates off by at least this factor are reported. */
    private static final double MISESTIMATE_FACTOR = 10;

    public static PlanSummary of(JsonArray explain, long bigTableRows) {
        JsonObject top = explain.getJsonObject(0);
        JsonObject plan = top.getJsonObject("Plan");
        List<SeqScan> scans = new ArrayList<>();
        List<Misestimate> misestimates = new ArrayList<>();
        Node[] worst = {null};
        walk(plan, bigTableRows, scans, misestimates, worst);
        return new PlanSummary(plan.getDouble("Total Cost"), top.getDouble("Execution Time"), scans, misestimates,
                worst[0]);
    }

    private static void walk(JsonObject node, long bigTableRows, List<SeqScan> scans, List<Misestimate> mis,
            Node[] worst) {
        String type = node.getString("Node Type");
        String relation = node.getString("Relation Name");
        double estimated = node.getDouble("Plan Rows", 0.0);
        Long removed = node.getLong("Rows Removed by Filter");
        // Rows the scan read: the rows it returned plus those its filter dropped (known with ANALYZE).
        double read = node.containsKey("Actual Rows")
                ? node.getDouble("Actual Rows") * node.getDouble("Actual Loops", 1.0) + (removed == null ? 0 : removed)
                : estimated;
        if ("Seq Scan".equals(type) && read >= bigTableRows) {
            scans.add(new SeqScan(relation, estimated, removed));
        }
        if (node.containsKey("Actual Rows")) {
            double actual = node.getDouble("Actual Rows");
            if (Math.max(estimated, actual) >= MISESTIMATE_FACTOR * Math.max(1, Math.min(estimated, actual))) {
                mis.add(new Misestimate(type, relation, estimated, actual));
            }
        }
        double own = node.getDouble("Total Cost");
        JsonArray children = node.getJsonArray("Plans");
        if (children != null) {
            for (int i = 0; i < children.size(); i++) {
                own -= children.getJsonObject(i).getDouble("Total Cost");
                walk(children.getJsonObject(i), bigTableRows, scans, mis, worst);
            }
        }
        if (worst[0] == null || own > worst[0].ownCost()) {
            worst[0] = new Node(type, relation, Math.max(0, own));
        }
    }
}
