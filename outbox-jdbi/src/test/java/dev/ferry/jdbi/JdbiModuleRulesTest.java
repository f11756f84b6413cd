package dev.ferry.jdbi;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
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
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
          .importPackages("dev.ferry.jdbi");

  @Test
  void usesNoRuntimeInternals() {
    FerryArchitectureRules.adapterUsesNoRuntimeInternals().check(MAIN);
  }

  @Test
  void thePublicApiExposesNoInternalTypes() {
    methods()
        .that()
        .arePublic()
        .and()
        .areDeclaredInClassesThat()
        .resideInAPackage("dev.ferry.jdbi")
        .should(
            new ArchCondition<JavaMethod>("not expose dev.ferry.jdbi.internal types") {
              @Override
              public void check(JavaMethod method, ConditionEvents events) {
                if (!method.getOwner().getModifiers().contains(JavaModifier.PUBLIC)) {
                  return;
                }
                boolean bad =
                    internal(method.getRawReturnType())
                        || method.getRawParameterTypes().stream().anyMatch(this::internal);
                if (bad) {
                  events.add(
                      SimpleConditionEvent.violated(method, method.getFullName() + " leaks"));
                }
              }

              private boolean internal(JavaClass c) {
                return c.getPackageName().startsWith("dev.ferry.jdbi.internal");
              }
            })
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
