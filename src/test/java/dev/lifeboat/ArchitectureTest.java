package dev.lifeboat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The layering in STYLE.md: a headless core that neither the UI nor the CLI leaks into. */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.lifeboat");

    @Test
    void coreNeverImportsJavafx() {
        noClasses().that().resideInAPackage("dev.lifeboat.core..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "com.sun.javafx..")
                .check(CLASSES);
    }

    @Test
    void coreDoesNotDependOnUiOrCli() {
        noClasses().that().resideInAPackage("dev.lifeboat.core..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.lifeboat.ui..", "dev.lifeboat.cli..", "picocli..")
                .check(CLASSES);
    }

    @Test
    void cliAndUiDoNotDependOnEachOther() {
        noClasses().that().resideInAPackage("dev.lifeboat.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.lifeboat.ui..", "javafx..")
                .check(CLASSES);
        noClasses().that().resideInAPackage("dev.lifeboat.ui..")
                .should().dependOnClassesThat().resideInAPackage("dev.lifeboat.cli..")
                .check(CLASSES);
    }

    @Test
    void onlyTheHostAdapterTalksToDockerJava() {
        noClasses().that().resideOutsideOfPackage("dev.lifeboat.core.host..")
                .should().dependOnClassesThat().resideInAPackage("com.github.dockerjava..")
                .check(CLASSES);
    }

    @Test
    void theLayersOnlyLookDownwards() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Entry").definedBy("dev.lifeboat")
                .layer("Cli").definedBy("dev.lifeboat.cli..")
                .layer("Console").definedBy("dev.lifeboat.ui..")
                .layer("Core").definedBy("dev.lifeboat.core..")
                .whereLayer("Cli").mayOnlyBeAccessedByLayers("Entry")
                .whereLayer("Console").mayOnlyBeAccessedByLayers("Entry")
                .whereLayer("Entry").mayOnlyBeAccessedByLayers("Cli", "Console")
                .whereLayer("Core").mayOnlyBeAccessedByLayers("Entry", "Cli", "Console")
                .check(CLASSES);
    }

    @Test
    void corePackagesHaveNoCycles() {
        slices().matching("dev.lifeboat.core.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void theHistoryAnswersInTypedRecords() {
        // rows as long[] or String[] make every caller know column positions; records name them
        methods().that().areDeclaredInClassesThat().resideInAPackage("dev.lifeboat.core.history..").and().arePublic()
                .should(new com.tngtech.archunit.lang.ArchCondition<com.tngtech.archunit.core.domain.JavaMethod>("return no arrays") {
                    @Override
                    public void check(com.tngtech.archunit.core.domain.JavaMethod m,
                                      com.tngtech.archunit.lang.ConditionEvents events) {
                        boolean array = m.reflect().getGenericReturnType().getTypeName().contains("[]");
                        if (array) {
                            events.add(com.tngtech.archunit.lang.SimpleConditionEvent.violated(m, m.getFullName()
                                    + " returns an array"));
                        }
                    }
                }).check(CLASSES);
    }

    @Test
    void consoleWindowsHaveNoCycles() {
        slices().matching("dev.lifeboat.ui.(*)..").should().beFreeOfCycles().check(CLASSES);
    }
}
