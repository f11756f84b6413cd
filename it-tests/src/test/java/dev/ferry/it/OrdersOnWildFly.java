package dev.ferry.it;

import dev.ferry.it.support.Deployments;
import dev.ferry.it.support.Http;
import java.net.URL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The sample orders WAR on WildFly with its "wildfly" configuration, after the PostgreSQL driver it
 * needs; the tests call it from outside, as its clients do. Arquillian finds the deployments and
 * the injected base URL on this superclass.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
abstract class OrdersOnWildFly {

  @Deployment(name = "driver", order = 1, testable = false)
  static JavaArchive driver() {
    return Deployments.driver();
  }

  @Deployment(name = "orders", order = 2, testable = false)
  static WebArchive orders() {
    return Deployments.orders("orders", Deployments.config("wildfly"));
  }

  /** Where the orders WAR answers. */
  @ArquillianResource
  @OperateOnDeployment("orders")
  URL base;

  /** Tests take the carrier away to make dead letters; the next test finds it available again. */
  @AfterEach
  void openCarrier() {
    new Http(base).put("admin/carrier", "{\"available\": true}");
  }
}
