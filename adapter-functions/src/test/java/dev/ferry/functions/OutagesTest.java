package dev.ferry.functions;

import static dev.ferry.functions.FunctionInvocationTest.ferryProperties;
import static dev.ferry.functions.FunctionInvocationTest.invokeShip;
import static dev.ferry.functions.FunctionInvocationTest.parcel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.functions.app.ParcelHandlers;
import dev.ferry.testkit.PostgresDatabase;
import dev.ferry.testkit.PostgresExtension;
import dev.ferry.testkit.functions.InvocationContext;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A database or broker that goes away while functions run: nothing is lost or half-done. */
@ExtendWith(PostgresExtension.class)
class OutagesTest {

  @Test
  void anInvocationHoldsItsMessageThroughAStoreOutageTenTimesItsOldPauseAndCostsNoDelivery(
      @TempDir Path data) throws Exception {
    StoppablePostgres pg = new StoppablePostgres(data);
    ExecutorService host = Executors.newSingleThreadExecutor();
    try (FunctionApp app =
        pg.app(
            "held",
            Map.of(
                "ferry.store.connection-timeout", "500ms",
                "ferry.functions.store-outage-hold", "90s"))) {
      invokeShip("p-1", parcel("p-1", 1), 1, ferryProperties()); // the worker is up

      pg.stop();
      Future<?> invocation =
          host.submit(() -> invokeShip("p-2", parcel("p-2", 1), 1, ferryProperties()));
      Thread.sleep(10_000); // the old trigger threw after 1 s
      // Held, not thrown: a throw would be an abandon, one of MaxDeliveryCount deliveries.
      assertThat(invocation).isNotDone();

      pg.restart();
      invocation.get(60, TimeUnit.SECONDS); // returns: the host completes the first delivery

      assertThat(app.shipments("p-2")).isEqualTo(1);
      assertThat(app.serviceBus.entity("parcel-shipped/subscriptions/tracking").activeCount())
          .isEqualTo(2);
    } finally {
      host.shutdownNow();
      pg.close();
    }
  }

  @Test
  void pastTheHoldAnInvocationFailsAndTheRedeliveryIsHandledOnce(@TempDir Path data)
      throws Exception {
    StoppablePostgres pg = new StoppablePostgres(data);
    try (FunctionApp app =
        pg.app(
            "outage",
            Map.of(
                "ferry.store.connection-timeout", "500ms",
                "ferry.functions.store-outage-hold", "2s"))) {
      invokeShip("p-1", parcel("p-1", 1), 1, ferryProperties()); // the worker is up

      pg.stop();
      assertThatThrownBy(() -> invokeShip("p-2", parcel("p-2", 1), 1, ferryProperties()))
          .isInstanceOf(RedeliveryRequestedException.class)
          .hasMessageContaining("p-2")
          .hasMessageContaining("Service Bus will deliver it again");

      pg.restart();
      // Service Bus delivers it again until an invocation succeeds (the pool may need one more).
      int delivery = 2;
      while (true) {
        try {
          invokeShip("p-2", parcel("p-2", 1), delivery, ferryProperties());
          break;
        } catch (RedeliveryRequestedException e) {
          assertThat(delivery++).as("deliveries after the database is back").isLessThan(5);
          Thread.sleep(200);
        }
      }

      assertThat(app.shipments("p-2")).isEqualTo(1);
      assertThat(ParcelHandlers.SHIPPING_RUNS.get("p-2").get()).isBetween(1, delivery);
      assertThat(app.serviceBus.entity("parcel-shipped/subscriptions/tracking").activeCount())
          .isEqualTo(2);
    } finally {
      pg.close();
    }
  }

  @Test
  void aColdStartWithTheDatabaseDownFailsFastAndALaterOneSucceeds(@TempDir Path data)
      throws Exception {
    StoppablePostgres pg = new StoppablePostgres(data);
    try (FunctionApp app = pg.app("coldstart", Map.of("ferry.store.connection-timeout", "500ms"))) {
      pg.stop(); // before the worker's first invocation

      long start = System.nanoTime();
      assertThatThrownBy(() -> invokeShip("p-1", parcel("p-1", 1), 1, ferryProperties()))
          .isInstanceOf(dev.ferry.FerryException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
      // Invocations right after it fail at once, without building again.
      long again = System.nanoTime();
      assertThatThrownBy(() -> invokeShip("p-1", parcel("p-1", 1), 2, ferryProperties()))
          .isInstanceOf(RedeliveryRequestedException.class)
          .hasMessageContaining("moments ago");
      assertThat(Duration.ofNanos(System.nanoTime() - again)).isLessThan(Duration.ofSeconds(1));

      pg.restart();
      Thread.sleep(FerryFunctions.RETRY_BUILD_AFTER.toMillis());
      invokeShip("p-1", parcel("p-1", 1), 3, ferryProperties());
      assertThat(app.shipments("p-1")).isEqualTo(1);
    } finally {
      pg.close();
    }
  }

  @Test
  void theSweeperSendsWhatARecycledWorkerLeftInTheOutbox(PostgresDatabase database)
      throws Exception {
    try (FunctionApp app =
        new FunctionApp(
            database,
            Map.of(
                // Only the sweeper may relay here; a worker's own background relay stays idle.
                "ferry.outbox.poll-interval", "1h",
                "ferry.outbox.lease", "1s",
                "ferry.functions.flush-timeout", "2s",
                "ferry.shutdown.timeout", "200ms"))) {
      invokeShip("p-1", parcel("p-1", 1), 1, ferryProperties());
      app.serviceBus.stop();

      long start = System.nanoTime();
      invokeShip("p-2", parcel("p-2", 1), 1, ferryProperties()); // completes: the event is stored
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThat(app.shipments("p-2")).isEqualTo(1);
      FerryFunctions.shutdown(); // the host recycles the worker

      app.serviceBus.restart();
      Thread.sleep(1_100); // the old worker's lease on the row runs out
      assertThat(FerryFunctions.sweep(new InvocationContext("ferry-sweeper"))).isTrue();

      assertThat(
              app.serviceBus.entity("parcel-shipped/subscriptions/tracking").messages().stream()
                  .map(m -> new String(m.body(), java.nio.charset.StandardCharsets.UTF_8)))
          .anyMatch(body -> body.contains("p-2"));
    }
  }

  /**
   * An embedded PostgreSQL that a test stops and starts again on the same port and data, as a
   * database that goes away and comes back. The test is skipped on an external database.
   */
  private static final class StoppablePostgres implements AutoCloseable {
    private final Path data;
    private final int port;
    private EmbeddedPostgres server;

    StoppablePostgres(Path data) throws IOException {
      Assumptions.assumeTrue(
          System.getenv("FERRY_TEST_JDBC_URL") == null, "needs an embedded server it may stop");
      this.data = data;
      this.port = freePort();
      this.server = PostgresExtension.startEmbedded(data, port);
    }

    /** The function app with its store in {@code schema} of this database. */
    FunctionApp app(String schema, Map<String, String> settings) {
      String url = "jdbc:postgresql://localhost:" + port + "/postgres";
      return new FunctionApp(url, "postgres", "", schema, settings);
    }

    void stop() throws IOException {
      server.close();
    }

    void restart() {
      server = PostgresExtension.startEmbedded(data, port);
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
