package io.sluice.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The seams every service keeps, checked over its compiled classes (ArchUnit): the core (every package but
 * {@code api}) never depends on the service's {@code api} package. Resources map between the wire records of
 * {@code api} and the core's domain records; problem types live in the service's root package. Each service's
 * {@code ArchitectureTest} calls {@link #assertCoreDoesNotDependOnApi(String)} with its root package.
 */
public final class ArchitectureRules {

    private ArchitectureRules() {
    }

    /** The service's production classes (tests left out) under {@code rootPackage}. */
    public static JavaClasses productionClasses(String rootPackage) {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(rootPackage);
        if (classes.isEmpty()) {
            throw new AssertionError("no classes found under " + rootPackage + ": nothing would be checked");
        }
        return classes;
    }

    /** No class outside {@code <rootPackage>.api} depends on a class in it. */
    public static ArchRule coreDoesNotDependOnApi(String rootPackage) {
        String api = rootPackage + ".api..";
        return noClasses().that().resideOutsideOfPackage(api)
                .should().dependOnClassesThat().resideInAPackage(api)
                .because("the core never reaches into the API: resources map wire records to domain records"
                        + " (docs/architecture.md)");
    }

    public static void assertCoreDoesNotDependOnApi(String rootPackage) {
        JavaClasses classes = productionClasses(rootPackage);
        if (classes.stream().noneMatch(c -> c.getPackageName().startsWith(rootPackage + ".api"))) {
            throw new AssertionError("no " + rootPackage + ".api package found: the rule would hold vacuously");
        }
        coreDoesNotDependOnApi(rootPackage).check(classes);
    }
}
