package dev.ferry.jdbi;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.ferry.build.FerryArchitectureRules;
import dev.ferry.build.GeneratedDocs;
import dev.ferry.config.ConfigKey;
import dev.ferry.config.ConfigReference;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/** The module's structure: API apart from implementation, JTA contained, keys documented. */
class JdbiModuleRulesTest {
  /** This module's section of docs/configuration.md. */
  static final String DOCS_SECTION = "jdbi";

  private static final JavaClasses MAIN =
      FerryArchitectureRules.mainClassesOf(JdbiEnvelopeStoreBuilder.class);

  @Test
  void usesNoRuntimeInternals() {
    FerryArchitectureRules.adapterUsesNoRuntimeInternals().check(MAIN);
  }

  @Test
  void thePublicApiExposesNoInternalTypes() {
    FerryArchitectureRules.apiExposesNoImplementationTypes(
            "dev.ferry.jdbi.internal..", "dev.ferry.jdbi")
        .check(MAIN);
  }

  @Test
  void onlyTheJtaClassesTouchJta() {
    noClasses()
        .that()
        .haveNameNotMatching(
            "dev\\.ferry\\.jdbi\\.(JtaTransactionHandler|internal\\.JtaTransactions)(\\$.*)?")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("jakarta.transaction..")
        .because("the JTA API is optional: only classes loaded after it was found may use it")
        .check(MAIN);
  }

  @Test
  void everyKeyNamesABuilderMethodAndTheReferenceMatches() throws Exception {
    for (ConfigKey<?> key : JdbiStoreKeys.all()) {
      assertThat(key.name()).startsWith("ferry.store.");
      assertThat(JdbiEnvelopeStoreBuilder.class.getMethods())
          .extracting(Method::getName)
          .as(key.name())
          .contains(key.builderMethod());
    }
    GeneratedDocs.checkConfigurationSection(
        DOCS_SECTION,
        ConfigReference.markdown(JdbiStoreKeys.all(), JdbiEnvelopeStoreBuilder.class));
  }
}
