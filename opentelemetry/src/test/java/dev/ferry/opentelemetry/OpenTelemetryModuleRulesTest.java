package dev.ferry.opentelemetry;

import dev.ferry.build.FerryArchitectureRules;
import org.junit.jupiter.api.Test;

class OpenTelemetryModuleRulesTest {

  @Test
  void usesNoRuntimeInternals() {
    FerryArchitectureRules.adapterUsesNoRuntimeInternals()
        .check(FerryArchitectureRules.mainClassesOf(FerryTelemetry.class));
  }
}
