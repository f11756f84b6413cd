package dev.ferry.testkit;

import dev.ferry.build.FerryArchitectureRules;
import org.junit.jupiter.api.Test;

/** The kit is built on the API and SPI as users' code is, so it works with any runtime release. */
class TestKitRulesTest {

  @Test
  void usesNoRuntimeInternals() {
    FerryArchitectureRules.adapterUsesNoRuntimeInternals()
        .check(FerryArchitectureRules.mainClassesOf(BusExtension.class));
  }
}
