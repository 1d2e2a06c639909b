package dev.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import net.sourceforge.plantuml.FileFormat;
import net.sourceforge.plantuml.FileFormatOption;
import net.sourceforge.plantuml.SourceStringReader;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/** Module boundaries are a build rule: a module may use only another module's public API. */
class ModularityTests {

    /** Where the committed, generated module diagrams live; docs/architecture.md shows the SVG. */
    private static final Path COMMITTED = Path.of("../docs/modules");

    private static final Path GENERATED = Path.of("target/spring-modulith-docs");

    /** The modules: the packages with @ApplicationModule (spring.modulith.detection-strategy in application.yml). */
    private final ApplicationModules modules = ApplicationModules.of(GatehouseApplication.class);

    /**
     * Detection is by annotation (so that the gatehouse-client library's package is no module), which would let a
     * new package without {@code @ApplicationModule} escape every check: so each top-level package of the
     * server's own classes must be a module.
     */
    @Test
    void everyTopLevelPackageOfTheServerIsAModule() throws IOException {
        Path classes = Path.of("target/classes/dev/gatehouse");
        List<String> packages;
        try (Stream<Path> children = Files.list(classes)) {
            packages = children.filter(Files::isDirectory)
                    .map(dir -> dir.getFileName().toString())
                    .toList();
        }
        assertThat(packages).isNotEmpty();
        assertThat(modules.stream().map(module -> module.getBasePackage().getLocalName()))
                .containsAll(packages);
    }

    @Test
    void modulesRespectTheirBoundaries() {
        modules.verify();
    }

    /**
     * The module diagram in docs/ is Modulith's own ({@link Documenter}), never drawn by hand: this test writes it
     * and fails when the committed copy differs. {@code -Dgatehouse.docs.update=true} copies the new one (and its
     * SVG rendering) into docs/modules.
     */
    @Test
    void committedModuleDiagramIsTheGeneratedOne() throws IOException {
        new Documenter(modules, Documenter.Options.defaults().withOutputFolder(GENERATED.toString()))
                .writeModulesAsPlantUml()
                .writeIndividualModulesAsPlantUml();
        String generated = Files.readString(GENERATED.resolve("components.puml"));
        if (Boolean.getBoolean("gatehouse.docs.update")) {
            Files.createDirectories(COMMITTED);
            Files.writeString(COMMITTED.resolve("components.puml"), generated);
            try (OutputStream svg = Files.newOutputStream(COMMITTED.resolve("components.svg"))) {
                // Smetana is PlantUML's own layout engine, so no Graphviz installation is needed.
                String source = generated.replaceFirst("@startuml", "@startuml\n!pragma layout smetana");
                new SourceStringReader(source).outputImage(svg, new FileFormatOption(FileFormat.SVG));
            }
        }
        // Modulith lists the relations in no fixed order, so the diagrams are compared as sets of lines.
        assertThat(Files.readAllLines(COMMITTED.resolve("components.puml")))
                .as("docs/modules/components.puml is stale: run ModularityTests with -Dgatehouse.docs.update=true")
                .containsExactlyInAnyOrderElementsOf(generated.lines().toList());
    }
}
