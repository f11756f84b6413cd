package dev.ferry.samples.orders.war;

import dev.ferry.ConfigurationException;
import dev.ferry.config.FerryConfig;
import dev.ferry.jdbi.JdbiEnvelopeStore;
import dev.ferry.jdbi.JtaTransactionHandler;
import dev.ferry.samples.orders.OrderSchema;
import dev.ferry.spi.EnvelopeStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * The database: the container's data source (so that connections join JTA transactions), one {@link
 * Jdbi} on it, and Ferry's PostgreSQL store on that {@code Jdbi}. Ferry's CDI host uses the {@link
 * EnvelopeStore} bean produced here.
 */
@ApplicationScoped
public class Persistence {
  /** JNDI name of the data source; MicroProfile Config, system property or environment. */
  static final String DATASOURCE_KEY = "orders.datasource";

  static final String DEFAULT_DATASOURCE = "java:jboss/datasources/OrdersDS";

  /**
   * {@code @Singleton}, not {@code @ApplicationScoped}: {@code Jdbi} has final methods, so CDI
   * could not proxy it. Its transaction handler leaves JTA transactions to the container.
   */
  // tag::producers[]
  @Produces
  @Singleton
  Jdbi jdbi() {
    String name = FerryConfig.fromEnvironment().raw(DATASOURCE_KEY).orElse(DEFAULT_DATASOURCE);
    DataSource dataSource;
    try {
      dataSource = (DataSource) new InitialContext().lookup(name);
    } catch (NamingException | ClassCastException e) {
      throw new ConfigurationException(
          DATASOURCE_KEY + ": no data source at " + name + " (" + e.getMessage() + ")", e);
    }
    Jdbi jdbi = Jdbi.create(dataSource);
    jdbi.setTransactionHandler(new JtaTransactionHandler());
    OrderSchema.install(jdbi);
    return jdbi;
  }

  /** Ferry's outbox, inbox and dead letters, in the same database as the orders. */
  @Produces
  @Dependent
  EnvelopeStore store(Jdbi jdbi) {
    return JdbiEnvelopeStore.builder().jdbi(jdbi).build();
  }
  // end::producers[]
}
