package dev.ferry.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.ferry.build.FerryArchitectureRules;
import dev.ferry.build.GeneratedDocs;
import dev.ferry.config.ConfigReference;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FunctionsModuleRulesTest {

  @Test
  void usesNoRuntimeInternals() {
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPath(Path.of("target", "classes"));
    assertThat(classes.contain(FerryFunctions.class)).isTrue();
    FerryArchitectureRules.adapterUsesNoRuntimeInternals().check(classes);
  }

  @Test
  void configurationReferenceMatchesTheKeys() throws Exception {
    GeneratedDocs.checkConfigurationSection(
        "functions", ConfigReference.markdown(FunctionsKeys.all(), FunctionsWorker.Builder.class));
  }
}
