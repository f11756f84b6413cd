package dev.ferry.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.ferry.build.FerryArchitectureRules;
import dev.ferry.build.GeneratedDocs;
import dev.ferry.config.ConfigKey;
import dev.ferry.config.ConfigReference;
import org.junit.jupiter.api.Test;

/** The module's structure: built on the public API only, keys documented. */
class ConsoleModuleRulesTest {
  static final String DOCS_SECTION = "console";

  private static final JavaClasses MAIN = FerryArchitectureRules.mainClassesOf(FerryConsole.class);

  @Test
  void usesNoRuntimeInternals() {
    FerryArchitectureRules.adapterUsesNoRuntimeInternals().check(MAIN);
  }

  @Test
  void thePublicApiExposesNoInternalTypes() {
    FerryArchitectureRules.apiExposesNoImplementationTypes(
            "dev.ferry.console.internal..", "dev.ferry.console", "dev.ferry.console.cli")
        .check(MAIN);
  }

  @Test
  void everyKeyNamesABuilderMethodAndTheReferenceMatches() throws Exception {
    for (ConfigKey<?> key : ConsoleKeys.all()) {
      assertThat(key.name()).startsWith("ferry.console.");
    }
    assertThat(ConsoleKeys.TOKEN.secret()).isTrue();
    GeneratedDocs.checkConfigurationSection(
        DOCS_SECTION, ConfigReference.markdown(ConsoleKeys.all(), FerryConsole.Builder.class));
  }
}
