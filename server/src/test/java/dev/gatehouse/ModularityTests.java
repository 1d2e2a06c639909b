package dev.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/** Module boundaries are a build rule: a module may use only another module's public API. */
class ModularityTests {

    private final ApplicationModules modules = ApplicationModules.of(GatehouseApplication.class);

    @Test
    void modulesRespectTheirBoundaries() {
        modules.verify();
    }

    @Test
    void writesModuleDocumentation() {
        new Documenter(modules).writeModulesAsPlantUml().writeIndividualModulesAsPlantUml();
        // Modulith's default output folder; docs/architecture.md embeds the diagram drawn from it.
        assertThat(Path.of("target/spring-modulith-docs/components.puml")).exists();
    }
}
