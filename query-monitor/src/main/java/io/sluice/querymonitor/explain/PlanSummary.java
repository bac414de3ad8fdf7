package io.sluice.querymonitor.explain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

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
        return of(explain, bigTableRows, Map.of());
    }

    /**
     * @param tableRows the planner's row count ({@code pg_class.reltuples}) of scanned tables: without ANALYZE a
     *        plan shows the rows a seq scan returns, not the rows it reads, and a filtered scan reads them all
     */
    public static PlanSummary of(JsonArray explain, long bigTableRows, Map<String, Double> tableRows) {
        JsonObject top = explain.getJsonObject(0);
        JsonObject plan = top.getJsonObject("Plan");
        List<SeqScan> scans = new ArrayList<>();
        List<Misestimate> misestimates = new ArrayList<>();
        Node[] worst = {null};
        walk(plan, bigTableRows, tableRows, scans, misestimates, worst);
        return new PlanSummary(plan.getDouble("Total Cost"), top.getDouble("Execution Time"), scans, misestimates,
                worst[0]);
    }

    private static void walk(JsonObject node, long bigTableRows, Map<String, Double> tableRows, List<SeqScan> scans,
            List<Misestimate> mis, Node[] worst) {
        String type = node.getString("Node Type");
        String relation = node.getString("Relation Name");
        double estimated = node.getDouble("Plan Rows", 0.0);
        Long removed = node.getLong("Rows Removed by Filter");
        // Rows the scan read: the rows it returned plus those its filter dropped (known with ANALYZE).
        double read = node.containsKey("Actual Rows")
                ? node.getDouble("Actual Rows") * node.getDouble("Actual Loops", 1.0) + (removed == null ? 0 : removed)
                : Math.max(estimated, tableRows.getOrDefault(relation == null ? "" : relation, 0.0));
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
                walk(children.getJsonObject(i), bigTableRows, tableRows, scans, mis, worst);
            }
        }
        if (worst[0] == null || own > worst[0].ownCost()) {
            worst[0] = new Node(type, relation, Math.max(0, own));
        }
    }

    /** Names of the relations the plan scans sequentially. */
    public static Set<String> seqScanned(JsonArray explain) {
        Set<String> out = new TreeSet<>();
        collect(explain.getJsonObject(0).getJsonObject("Plan"), out);
        return out;
    }

    private static void collect(JsonObject node, Set<String> out) {
        if ("Seq Scan".equals(node.getString("Node Type")) && node.getString("Relation Name") != null) {
            out.add(node.getString("Relation Name"));
        }
        JsonArray children = node.getJsonArray("Plans");
        for (int i = 0; children != null && i < children.size(); i++) {
            collect(children.getJsonObject(i), out);
        }
    }
}
