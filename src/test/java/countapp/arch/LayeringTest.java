package countapp.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Layers import downward only: the data model and codecs know nothing of HTTP, the store knows nothing of
 * workers, a worker knows nothing of the coordinator. A change that reaches upward fails here, naming the
 * dependency, instead of quietly growing a cycle.
 */
class LayeringTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importProductionClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("countapp");
    }

    @Test
    void layers_importDownwardOnly() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Foundation").definedBy("countapp.model..", "countapp.codec..", "countapp.placement..")
                .layer("Api").definedBy("countapp.api..")
                .layer("Config").definedBy("countapp.config..")
                .layer("Store").definedBy("countapp.store..")
                .layer("Protocol").definedBy("countapp.protocol..")
                .layer("Metrics").definedBy("countapp.metrics..")
                .layer("Http").definedBy("countapp.http..")
                .layer("Ops").definedBy("countapp.ops..")
                .layer("Worker").definedBy("countapp.worker..")
                .layer("Coordinator").definedBy("countapp.coordinator..")
                .layer("Migrate").definedBy("countapp.migrate..")
                .layer("Entry").definedBy("countapp.cli..", "countapp.bench..")

                .whereLayer("Entry").mayNotBeAccessedByAnyLayer()
                .whereLayer("Coordinator").mayOnlyBeAccessedByLayers("Entry")
                .whereLayer("Migrate").mayOnlyBeAccessedByLayers("Entry")
                .whereLayer("Worker").mayOnlyBeAccessedByLayers("Entry")
                .whereLayer("Ops").mayOnlyBeAccessedByLayers("Coordinator", "Worker", "Entry")
                .whereLayer("Http").mayOnlyBeAccessedByLayers("Coordinator", "Worker")
                .whereLayer("Metrics").mayOnlyBeAccessedByLayers("Coordinator", "Worker")
                .whereLayer("Protocol").mayOnlyBeAccessedByLayers("Coordinator", "Worker")
                .whereLayer("Store").mayOnlyBeAccessedByLayers("Metrics", "Http", "Coordinator", "Worker", "Migrate")
                .whereLayer("Config").mayOnlyBeAccessedByLayers("Store", "Http", "Ops", "Coordinator", "Worker",
                        "Entry")
                .check(classes);
    }

    /** RocksDB is not in the product's runtime: only the converter of format-1 folders reads it. */
    @Test
    void rocksDb_usedByTheConverterOnly() {
        noClasses().that().resideOutsideOfPackage("countapp.migrate..")
                .should().dependOnClassesThat().resideInAPackage("org.rocksdb..")
                .check(classes);
    }

    @Test
    void packages_formNoCycles() {
        slices().matching("countapp.(*)..").should().beFreeOfCycles().check(classes);
    }
}
