package dev.ferry.build;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

/**
 * Rules every module checks: adapters build on the API and SPI only, and the public API never hands
 * out implementation types. Adapters run {@link #adapterUsesNoRuntimeInternals} on their own main
 * classes.
 */
public final class FerryArchitectureRules {
  private FerryArchitectureRules() {}

  /** The packages users and adapters may see. */
  static final String[] PUBLIC_PACKAGES = {"dev.ferry", "dev.ferry.spi", "dev.ferry.config"};

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
    DescribedPredicate<JavaClass> internal =
        JavaClass.Predicates.resideInAPackage(internalPackagePattern);
    return methods()
        .that()
        .arePublic()
        .and()
        .areDeclaredInClassesThat()
        .resideInAnyPackage(PUBLIC_PACKAGES)
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
