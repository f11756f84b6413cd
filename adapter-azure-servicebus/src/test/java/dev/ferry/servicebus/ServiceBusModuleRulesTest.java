package dev.ferry.servicebus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.build.FerryArchitectureRules;
import dev.ferry.build.GeneratedDocs;
import dev.ferry.config.ConfigReference;
import dev.ferry.spi.TransportFactory;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class ServiceBusModuleRulesTest {

  @Test
  void usesNoRuntimeInternals() {
    FerryArchitectureRules.adapterUsesNoRuntimeInternals()
        .check(FerryArchitectureRules.mainClassesOf(ServiceBusTransport.class));
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
