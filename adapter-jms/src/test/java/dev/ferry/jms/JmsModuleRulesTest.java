package dev.ferry.jms;

import dev.ferry.build.FerryArchitectureRules;
import dev.ferry.build.GeneratedDocs;
import dev.ferry.config.ConfigReference;
import org.junit.jupiter.api.Test;

class JmsModuleRulesTest {

  @Test
  void usesNoRuntimeInternals() {
    FerryArchitectureRules.adapterUsesNoRuntimeInternals()
        .check(FerryArchitectureRules.mainClassesOf(JmsTransport.class));
  }

  @Test
  void configurationReferenceMatchesTheKeys() throws Exception {
    GeneratedDocs.checkConfigurationSection(
        "jms", ConfigReference.markdown(JmsKeys.all(), JmsTransport.Builder.class));
  }
}
