package dev.lifeboat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

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
}
