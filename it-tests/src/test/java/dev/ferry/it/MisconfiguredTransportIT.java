package dev.ferry.it;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.it.support.Deployments;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A WAR whose transport is misconfigured fails to deploy, with an error naming the key: the bus
 * starts with the application, not at the first message.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class MisconfiguredTransportIT {

  @ArquillianResource Deployer deployer;

  @Deployment(name = "driver", order = 1, testable = false)
  static JavaArchive driver() {
    return Deployments.driver();
  }

  @Deployment(name = "unknown-transport", managed = false, testable = false)
  static WebArchive unknownTransport() {
    return war("unknown-transport", Map.of("ferry.transport", "carrier-pigeon"));
  }

  @Deployment(name = "no-connection-factory", managed = false, testable = false)
  static WebArchive noConnectionFactory() {
    return war("no-connection-factory", Map.of("ferry.jms.connection-factory-jndi", ""));
  }

  @Deployment(name = "wrong-connection-factory", managed = false, testable = false)
  static WebArchive wrongConnectionFactory() {
    return war(
        "wrong-connection-factory",
        Map.of("ferry.jms.connection-factory-jndi", "java:/jms/NoSuchFactory"));
  }

  static WebArchive war(String name, Map<String, String> overrides) {
    Map<String, String> config = Deployments.config("wildfly");
    config.putAll(overrides);
    config.values().removeIf(String::isEmpty);
    return Deployments.orders(name, config);
  }

  @Test
  void anUnknownTransportFailsTheDeploymentNamingTheKey() {
    assertThatThrownBy(() -> deployer.deploy("unknown-transport"))
        .hasStackTraceContaining("ferry.transport is 'carrier-pigeon'");
  }

  @Test
  void jmsWithoutAConnectionFactoryFailsTheDeploymentNamingTheKeys() {
    assertThatThrownBy(() -> deployer.deploy("no-connection-factory"))
        .hasStackTraceContaining("ferry.jms.url")
        .hasStackTraceContaining("ferry.jms.connection-factory-jndi");
  }

  @Test
  void aConnectionFactoryJndiNameThatResolvesToNothingFailsTheDeploymentNamingTheKey() {
    assertThatThrownBy(() -> deployer.deploy("wrong-connection-factory"))
        .hasStackTraceContaining(
            "ferry.jms.connection-factory-jndi: no connection factory at java:/jms/NoSuchFactory");
  }
}
