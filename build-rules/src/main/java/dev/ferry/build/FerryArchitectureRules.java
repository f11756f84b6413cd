package dev.ferry.build;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * Rules every module checks: adapters build on the API and SPI only, and the public API never hands
 * out implementation types. Adapters run {@link #adapterUsesNoRuntimeInternals} on their own main
 * classes, imported with {@link #mainClassesOf}.
 */
public final class FerryArchitectureRules {
  private FerryArchitectureRules() {}

  /** The packages users and adapters may see. */
  static final String[] PUBLIC_PACKAGES = {"dev.ferry", "dev.ferry.spi", "dev.ferry.config"};

  /**
   * The main classes of the module that {@code member} belongs to: the classes directory it was
   * loaded from, and nothing else. Importing by package instead would scan every jar on the class
   * path (slow with a large SDK) and take in classes of the same package from other modules.
   *
   * @throws AssertionError if {@code member} is not among them, so a rule is never checked against
   *     an import that missed the module
   */
  public static JavaClasses mainClassesOf(Class<?> member) {
    Path classesDirectory;
    try {
      classesDirectory =
          Path.of(member.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the classes of " + member, e);
    }
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPath(classesDirectory);
    if (!classes.contain(member)) {
      throw new AssertionError(
          member + " is not among the classes imported from " + classesDirectory);
    }
    return classes;
  }

  /** An adapter's main classes must not touch {@code dev.ferry.internal}. */
  public static ArchRule adapterUsesNoRuntimeInternals() {
    return noClasses()
        .that()
        .resideOutsideOfPackage("dev.ferry.internal..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.ferry.internal..")
        .because("adapters build on the API and SPI; the runtime's internals may change freely");
  }

  /** Public methods of public API types neither take nor return implementation types. */
  public static ArchRule apiExposesNoImplementationTypes(String internalPackagePattern) {
    return apiExposesNoImplementationTypes(internalPackagePattern, PUBLIC_PACKAGES);
  }

  /**
   * Public methods of the public types in {@code publicPackages} (a module's own API) neither take
   * nor return types of {@code internalPackagePattern}.
   */
  public static ArchRule apiExposesNoImplementationTypes(
      String internalPackagePattern, String... publicPackages) {
    DescribedPredicate<JavaClass> internal =
        JavaClass.Predicates.resideInAPackage(internalPackagePattern);
    return methods()
        .that()
        .arePublic()
        .and()
        .areDeclaredInClassesThat()
        .resideInAnyPackage(publicPackages)
        .should(
            new ArchCondition<>("not expose implementation types in their signature") {
              @Override
              public void check(JavaMethod method, ConditionEvents events) {
                if (!method.getOwner().getModifiers().contains(JavaModifier.PUBLIC)) {
                  return;
                }
                boolean bad =
                    internal.test(method.getRawReturnType())
                        || method.getRawParameterTypes().stream().anyMatch(internal::test);
                if (bad) {
                  events.add(
                      SimpleConditionEvent.violated(
                          method, method.getFullName() + " exposes an implementation type"));
                }
              }
            });
  }

  /** The SPI depends on nothing but the API. */
  public static ArchRule spiIsIndependentOfTheRuntime() {
    return noClasses()
        .that()
        .resideInAPackage("dev.ferry.spi..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.ferry.internal..");
  }

  public static void checkAll(JavaClasses classes) {
    apiExposesNoImplementationTypes("dev.ferry.internal..").check(classes);
    spiIsIndependentOfTheRuntime().check(classes);
  }
}
