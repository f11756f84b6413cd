package dev.ferry.it.support;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The archives the WildFly suites deploy: the PostgreSQL driver as {@code postgresql.jar}, and the
 * sample WAR exactly as Maven built it, with a data source descriptor and the suite's configuration
 * in place of the WAR's own {@code microprofile-config.properties}.
 */
public final class Deployments {
  public static final String CONFIG = "META-INF/microprofile-config.properties";

  private Deployments() {}

  private static File file(String name) {
    String dir = System.getProperty("ferry.it.deployments", "target/deployments");
    File f = new File(dir, name);
    if (!f.isFile()) {
      throw new IllegalStateException(
          f + " is missing: run the build through pre-integration-test");
    }
    return f;
  }

  /** The driver, deployed on its own under the name the data sources and the WAR refer to. */
  public static JavaArchive driver() {
    return ShrinkWrap.createFromZipFile(JavaArchive.class, file("postgresql.jar"));
  }

  /** The sample's configuration for a suite ({@code wildfly}, {@code restart}, ...). */
  public static Map<String, String> config(String suite) {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("ferry.service-name", "orders");
    c.put("ferry.transport", "jms");
    c.put("ferry.jms.connection-factory-jndi", "java:/ConnectionFactory");
    c.put("ferry.store.schema", PostgresLauncher.store(suite));
    c.put("ferry.listener.concurrency", "4");
    // A crashed node's claims are taken over after the lease: short, so the restart test is quick.
    c.put("ferry.outbox.lease", "5s");
    c.put("ferry.outbox.poll-interval", "250ms");
    c.put("orders.datasource", "java:jboss/datasources/OrdersDS");
    return c;
  }

  /** The sample WAR named {@code name}.war with this configuration. */
  public static WebArchive orders(String name, Map<String, String> config) {
    WebArchive war = ShrinkWrap.createFromZipFile(WebArchive.class, file("orders.war"));
    WebArchive renamed = ShrinkWrap.create(WebArchive.class, name + ".war");
    renamed.merge(war);
    renamed.delete("WEB-INF/classes/" + CONFIG);
    renamed.addAsResource(
        new StringAsset(
            config.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("\n"))
                + "\n"),
        CONFIG);
    renamed.addAsWebInfResource(new StringAsset(dataSource()), "orders-ds.xml");
    return renamed;
  }

  /**
   * The data source the sample looks up, on the PostgreSQL driver deployment. Its URL, user and
   * password are expressions the server resolves from the system properties {@code arquillian.xml}
   * gives each server (a schema of its own per server).
   */
  static String dataSource() {
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <datasources xmlns="http://www.jboss.org/ironjacamar/schema">
          <datasource jndi-name="java:jboss/datasources/OrdersDS" pool-name="OrdersDS"
                      enabled="true" use-java-context="true">
            <connection-url>${orders.jdbc.url}</connection-url>
            <driver>postgresql.jar</driver>
            <pool>
              <min-pool-size>0</min-pool-size>
              <max-pool-size>40</max-pool-size>
            </pool>
            <security>
              <user-name>${orders.jdbc.user}</user-name>
              <password>${orders.jdbc.password:}</password>
            </security>
            <validation>
              <!-- A connection broken by a database restart is destroyed, not handed out again. -->
              <valid-connection-checker
                  class-name="org.jboss.jca.adapters.jdbc.extensions.postgres.PostgreSQLValidConnectionChecker"/>
              <validate-on-match>true</validate-on-match>
              <exception-sorter
                  class-name="org.jboss.jca.adapters.jdbc.extensions.postgres.PostgreSQLExceptionSorter"/>
            </validation>
          </datasource>
        </datasources>
        """;
  }
}
