package io.sluice.partitionmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.sluice.common.problem.ProblemException;
import io.sluice.partitionmanager.db.Names;
import io.sluice.partitionmanager.db.QualifiedName;

class QualifiedNameTest {

    @Test
    void namesAreTakenExactlyAndQuotedAlways() {
        assertThat(QualifiedName.parse("orders")).isEqualTo(new QualifiedName("public", "orders"));
        assertThat(QualifiedName.parse("Sales.Order Lines")).isEqualTo(new QualifiedName("Sales", "Order Lines"));
        assertThat(QualifiedName.parse("\"a.b\".\"say \"\"hi\"\"\"")).isEqualTo(new QualifiedName("a.b", "say \"hi\""));
        assertThat(new QualifiedName("a.b", "say \"hi\"").quoted()).isEqualTo("\"a.b\".\"say \"\"hi\"\"\"");
        assertThat(new QualifiedName("a.b", "t").toString()).isEqualTo("\"a.b\".t");
    }

    @Test
    void malformedNamesAreRefused() {
        for (String bad : new String[] { "", "a..b", "a.b.c", "\"open", "a\"b", "x".repeat(64), "tab\tle" }) {
            assertThatThrownBy(() -> QualifiedName.parse(bad)).as(bad).isInstanceOf(ProblemException.class);
        }
    }

    @Test
    void derivedNamesKeepTheirSuffixWithin63BytesOnACharacterBoundary() {
        assertThat(Names.fit("orders", "_pm_new")).isEqualTo("orders_pm_new");
        String longName = "é".repeat(40);
        String fitted = Names.fit(longName, "_pm_new");
        assertThat(fitted).endsWith("_pm_new").startsWith("éé");
        assertThat(fitted.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(63);
        assertThat(fitted.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isGreaterThan(61);
    }
}
