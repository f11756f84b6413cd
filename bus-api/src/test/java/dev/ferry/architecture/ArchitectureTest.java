package dev.ferry.architecture;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.ferry.MessageBus;
import dev.ferry.build.FerryArchitectureRules;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
  private static final JavaClasses MAIN = FerryArchitectureRules.mainClassesOf(MessageBus.class);

  @Test
  void publicApiExposesNoImplementationTypes() {
    FerryArchitectureRules.apiExposesNoImplementationTypes("dev.ferry.internal..").check(MAIN);
  }

  @Test
  void theRulesCatchAViolation() {
    JavaClasses bad =
        new ClassFileImporter()
            .importClasses(
                dev.ferry.ArchitectureViolationFixture.class,
                dev.ferry.internal.types.MessageTypes.class);
    assertThatThrownBy(
            () ->
                FerryArchitectureRules.apiExposesNoImplementationTypes("dev.ferry.internal..")
                    .check(bad))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("leaksAnInternalType");
    assertThatThrownBy(() -> FerryArchitectureRules.adapterUsesNoRuntimeInternals().check(bad))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void spiDoesNotDependOnTheRuntime() {
    FerryArchitectureRules.spiIsIndependentOfTheRuntime().check(MAIN);
  }
}
