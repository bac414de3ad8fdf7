package io.sluice.partitionmanager;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.sluice.partitionmanager.conversion.shape.CarryPlanner;
import io.sluice.partitionmanager.conversion.shape.Signature;
import io.sluice.partitionmanager.conversion.shape.TableShape;
import io.sluice.partitionmanager.conversion.shape.TableShape.Column;
import io.sluice.partitionmanager.conversion.shape.TableShape.Index;
import io.sluice.partitionmanager.conversion.shape.Unsupported;

/** The carry plan is pure: shapes in, statements, refusals and the expected new signature out. */
class CarryPlannerTest {

    private static Column column(String name, String type, boolean notNull) {
        return new Column(name, name, type, notNull, null, ' ', ' ', -1, null, null, null, null);
    }

    private static Index index(String name, boolean primary, boolean unique, Character constraint, List<String> keys,
            String definitionTail) {
        return new Index(name, name, "CREATE " + (unique ? "UNIQUE " : "") + "INDEX " + name + " ON public.t "
                + definitionTail, primary, unique, false, false, constraint, constraint == null ? null : name, false,
                false, keys, keys, List.of(), null, null, null, null);
    }

    private static TableShape shape(List<Index> indexes, List<TableShape.IncomingKey> incoming) {
        return new TableShape(1, "public", "t", "public.t", "app", 'r', 'p', false, false, 'd', false, false, false,
                null, null, List.of(column("id", "bigint", true), column("at", "date", false),
                        column("email", "text", false)),
                indexes, List.of(), incoming, List.of(), List.of(), List.of(), List.of());
    }

    @Test
    void aKeyWithoutThePartitionColumnIsWidenedAndAUniqueIndexBecomesPlainOnlyWhenAccepted() {
        var old = shape(List.of(index("t_pkey", true, true, 'p', List.of("id"), "USING btree (id)"),
                index("t_email_key", false, true, 'u', List.of("email"), "USING btree (email)"),
                index("t_at_id", false, true, null, List.of("at", "id"), "USING btree (at, id)")), List.of());
        var plan = CarryPlanner.plan(old, "at", "public.t_pm_new", "0123456789abcdef");

        assertThat(plan.blockers()).isEmpty();
        assertThat(plan.unsupported()).extracting(Unsupported::id).containsExactly("primary-key:t_pkey", "unique:t_email_key");
        assertThat(plan.primaryKey()).endsWith(" PRIMARY KEY (id, at)");
        assertThat(plan.indexes()).extracting(s -> s.statement()).containsExactly(
                "CREATE INDEX \"sluice_0123456789abcdef_" + io.sluice.partitionmanager.db.Names.hash8("t_email_key")
                        + "\" ON public.t_pm_new USING btree (email)",
                "CREATE UNIQUE INDEX \"sluice_0123456789abcdef_" + io.sluice.partitionmanager.db.Names.hash8("t_at_id")
                        + "\" ON public.t_pm_new USING btree (at, id)");
        var expected = plan.expected(Signature.of(old, ""));
        assertThat(expected.get("index t_pkey")).startsWith("primary USING btree (id, at)");
        assertThat(expected.get("index t_email_key")).startsWith("USING btree (email)");
        assertThat(expected).doesNotContainKey("constraint t_email_key");
        assertThat(expected.get("column at")).startsWith("date NOT NULL, default null");
        assertThat(expected.get("index t_at_id")).isEqualTo(Signature.of(old, "").get("index t_at_id"));
    }

    @Test
    void aForeignKeyIntoTheTableWithoutThePartitionColumnBlocksTheConversion() {
        var old = shape(List.of(index("t_pkey", true, true, 'p', List.of("id", "at"), "USING btree (id, at)")),
                List.of(new TableShape.IncomingKey("c_fk", "c_fk", "public.c", false, "FOREIGN KEY (t) REFERENCES t(id)",
                        List.of("id"), null)));
        var plan = CarryPlanner.plan(old, "at", "public.t_pm_new", "0123456789abcdef");
        assertThat(plan.unsupported()).isEmpty();
        assertThat(plan.blockers()).singleElement().asString().contains("foreign key c_fk of public.c references (id)");
    }
}
