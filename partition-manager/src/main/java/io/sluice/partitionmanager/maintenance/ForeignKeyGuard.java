package io.sluice.partitionmanager.maintenance;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.partitionmanager.db.Catalog;
import io.sluice.partitionmanager.policy.SqlIdentifier;

/**
 * Before retention detaches or drops anything, finds rows of other tables that still reference rows of the
 * partitions to retire. PostgreSQL would refuse the DETACH halfway through a run; this refuses the whole set's
 * retention up front and says which foreign key and partition are in the way.
 */
@ApplicationScoped
public class ForeignKeyGuard {

    private final Catalog catalog;

    public ForeignKeyGuard(Catalog catalog) {
        this.catalog = catalog;
    }

    /** One sentence per blocking (foreign key, partition) pair; empty when retention may go ahead. */
    public List<String> blockers(Connection c, long parentOid, List<Step> retiring) throws SQLException {
        List<String> blockers = new ArrayList<>();
        var keys = catalog.referencing(c, parentOid);
        for (Step step : retiring) {
            String partition = SqlIdentifier.quote(step.partitionSchema()) + "." + SqlIdentifier.quote(step.partition());
            for (Catalog.ForeignKey key : keys) {
                if (referenced(c, key, partition)) {
                    blockers.add("foreign key %s of %s still references rows of partition %s"
                            .formatted(key.name(), key.referencingTable(), step.partition()));
                }
            }
        }
        return blockers;
    }

    private static boolean referenced(Connection c, Catalog.ForeignKey key, String partition) throws SQLException {
        List<String> conditions = new ArrayList<>();
        for (int i = 0; i < key.referencingColumns().size(); i++) {
            conditions.add("r.%s = p.%s".formatted(SqlIdentifier.quote(key.referencingColumns().get(i)),
                    SqlIdentifier.quote(key.referencedColumns().get(i))));
        }
        // referencingTable comes from format('%I.%I') in the catalog query: already quoted by PostgreSQL.
        String sql = "SELECT EXISTS (SELECT 1 FROM %s r JOIN %s p ON %s)".formatted(key.referencingTable(), partition,
                conditions.stream().collect(Collectors.joining(" AND ")));
        try (var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            return rs.next() && rs.getBoolean(1);
        }
    }
}
