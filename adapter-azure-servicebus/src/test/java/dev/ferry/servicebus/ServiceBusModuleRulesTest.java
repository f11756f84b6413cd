package dev.ferry.servicebus;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.ferry.build.FerryArchitectureRules;
import dev.ferry.build.GeneratedDocs;
import dev.ferry.config.ConfigReference;
import dev.ferry.spi.TransportFactory;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class ServiceBusModuleRulesTest {

  @Test
  void usesNoRuntimeInternals() {
    // The module's main classes only: importing by package would scan every jar of the SDK.
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPath(Path.of("target", "classes"));
    assertThat(classes.contain(ServiceBusTransport.class)).isTrue();
    FerryArchitectureRules.adapterUsesNoRuntimeInternals().check(classes);
  }

  @Test
  void configurationReferenceMatchesTheKeys() throws Exception {
    GeneratedDocs.checkConfigurationSection(
        "servicebus",
        ConfigReference.markdown(ServiceBusKeys.all(), ServiceBusTransport.Builder.class));
  }

  @Test
  void theFactoryIsFoundByItsName() {
    assertThat(ServiceLoader.load(TransportFactory.class))
        .anySatisfy(
            f -> {
              assertThat(f.name()).isEqualTo("servicebus");
              assertThat(f).isInstanceOf(ServiceBusTransportFactory.class);
            });
  }
}
