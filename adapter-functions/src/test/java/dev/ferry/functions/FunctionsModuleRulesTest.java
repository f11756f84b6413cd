package dev.ferry.functions;

import dev.ferry.build.FerryArchitectureRules;
import dev.ferry.build.GeneratedDocs;
import dev.ferry.config.ConfigReference;
import org.junit.jupiter.api.Test;

class FunctionsModuleRulesTest {

  @Test
  void usesNoRuntimeInternals() {
    FerryArchitectureRules.adapterUsesNoRuntimeInternals()
        .check(FerryArchitectureRules.mainClassesOf(FerryFunctions.class));
  }

  @Test
  void configurationReferenceMatchesTheKeys() throws Exception {
    GeneratedDocs.checkConfigurationSection(
        "functions", ConfigReference.markdown(FunctionsKeys.all(), FunctionsWorker.Builder.class));
  }
}
