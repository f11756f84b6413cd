package dev.ferry.jms;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.ferry.architecture.FerryArchitectureRules;
import dev.ferry.docs.ConfigReference;
import org.junit.jupiter.api.Test;

class JmsModuleRulesTest {

  @Test
  void usesNoRuntimeInternals() {
    FerryArchitectureRules.adapterUsesNoRuntimeInternals()
        .check(
            new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("dev.ferry.jms"));
  }

  @Test
  void configurationReferenceMatchesTheKeys() throws Exception {
    ConfigReference.check("jms", JmsKeys.all(), JmsTransport.Builder.class);
  }
}
