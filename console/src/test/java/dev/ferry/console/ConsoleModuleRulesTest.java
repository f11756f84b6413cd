package dev.ferry.console;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.ferry.build.FerryArchitectureRules;
import dev.ferry.build.GeneratedDocs;
import dev.ferry.config.ConfigKey;
import dev.ferry.config.ConfigReference;
import org.junit.jupiter.api.Test;

/** The module's structure: built on the public API only, keys documented. */
class ConsoleModuleRulesTest {
  static final String DOCS_SECTION = "console";

  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
          .importPackages("dev.ferry.console");

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
        .resideInAnyPackage("dev.ferry.console", "dev.ferry.console.cli")
        .and()
        .areDeclaredInClassesThat()
        .arePublic()
        .should(
            new ArchCondition<JavaMethod>("not expose dev.ferry.console.internal types") {
              @Override
              public void check(JavaMethod m, ConditionEvents events) {
                boolean bad =
                    internal(m.getRawReturnType())
                        || m.getRawParameterTypes().stream().anyMatch(this::internal);
                if (bad) {
                  events.add(SimpleConditionEvent.violated(m, m.getFullName() + " leaks"));
                }
              }

              private boolean internal(JavaClass c) {
                return c.getPackageName().startsWith("dev.ferry.console.internal");
              }
            })
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
