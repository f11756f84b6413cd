package dev.ferry.benchmarks;

import dev.ferry.MessageBus;
import dev.ferry.benchmarks.StoreOrders.OrderPlaced;
import dev.ferry.jdbi.FerryJdbi;
import dev.ferry.jdbi.JdbiEnvelopeStore;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

/**
 * Business transactions with one message each: one business row and one {@code bus.send} inside
 * {@link FerryJdbi#useTransaction}, against the same transaction inserting only the business row,
 * and against a raw JDBC floor (the business row plus an outbox-shaped row, deleted after the
 * commit). The transport does nothing, so only the store is measured; the Ferry rate counts until
 * the sent rows have been deleted again. Target: Ferry costs at most 1.3 times the bare
 * transaction.
 */
final class TransactionBenchmark {
  private TransactionBenchmark() {}

  static StoreComparison measure(
      StoreDatabase db, int threads, Duration measure, int rounds, Duration warmup)
      throws Exception {
    String schema = "bench_tx_" + threads + "_" + System.nanoTime() % 100000;
    JdbiEnvelopeStore store = db.store(schema, threads + 6);
    MessageBus bus = StoreBus.bus(store, new NoopTransport(), Duration.ofMillis(500));
    String orders = "\"" + schema + "\".orders";
    try {
      store
          .jdbi()
          .useHandle(
              h ->
                  h.execute(
                      "CREATE TABLE "
                          + orders
                          + " (id uuid PRIMARY KEY, customer text NOT NULL, total numeric NOT NULL,"
                          + " created_at timestamptz NOT NULL DEFAULT now())"));
      ConcurrentRun.Work bare =
          () -> store.jdbi().useTransaction(h -> StoreOrders.insertOrder(h, orders));
      ConcurrentRun.Work ferry =
          () ->
              FerryJdbi.useTransaction(
                  store,
                  h -> {
                    OrderPlaced o = StoreOrders.insertOrder(h, orders);
                    bus.send(o);
                  });
      // The floor without Ferry: the same transaction plus an outbox-shaped row, written with plain
      // JDBC, and the row deleted again right after the commit (one statement, asynchronous
      // commit).
      store
          .jdbi()
          .useHandle(
              h ->
                  h.execute(
                      "CREATE TABLE \""
                          + schema
                          + "\".floor_outgoing (LIKE \""
                          + schema
                          + "\".outgoing INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING INDEXES)"));
      String floorInsert =
          "INSERT INTO \""
              + schema
              + "\".floor_outgoing (id, destination, not_before, owner, lease_until, message_id,"
              + " message_type, content_type, source, sent_at, headers, body)"
              + " VALUES (?, 'noop:queue:orders', '-infinity', 'bench', now() + interval '30s', ?,"
              + " 'bench.store.order-placed.v1', 'application/json', 'bench', now(), '{}', ?)";
      String floorDelete =
          "WITH a AS MATERIALIZED (SELECT set_config('synchronous_commit', 'off', true))"
              + " DELETE FROM \""
              + schema
              + "\".floor_outgoing WHERE owner = 'bench' AND id = ANY(?)"
              + " AND EXISTS (SELECT 1 FROM a)";
      ConcurrentRun.Work floor =
          () -> {
            String id = UUID.randomUUID() + "@noop:queue:orders";
            store
                .jdbi()
                .useTransaction(
                    h -> {
                      OrderPlaced o = StoreOrders.insertOrder(h, orders);
                      try (PreparedStatement ps = h.getConnection().prepareStatement(floorInsert)) {
                        ps.setString(1, id);
                        ps.setString(2, id);
                        ps.setBytes(3, StoreOrders.json(o).getBytes(StandardCharsets.UTF_8));
                        ps.executeUpdate();
                      }
                    });
            store
                .jdbi()
                .useHandle(
                    h -> {
                      try (PreparedStatement ps = h.getConnection().prepareStatement(floorDelete)) {
                        ps.setArray(1, h.getConnection().createArrayOf("text", new Object[] {id}));
                        ps.executeUpdate();
                      }
                    });
          };
      ConcurrentRun.run(bare, threads, warmup);
      ConcurrentRun.run(ferry, threads, warmup);
      ConcurrentRun.run(floor, threads, warmup);
      StoreBus.settle(store, bus);
      // Short rounds, alternating, so that drift on a shared machine hits both alike.
      long bareDone = 0;
      long bareNanos = 0;
      long ferryDone = 0;
      long ferryNanos = 0;
      long ferryCommitNanos = 0;
      long floorDone = 0;
      long floorNanos = 0;
      for (int r = 0; r < rounds; r++) {
        long start = System.nanoTime();
        bareDone += ConcurrentRun.run(bare, threads, measure);
        bareNanos += System.nanoTime() - start;
        start = System.nanoTime();
        floorDone += ConcurrentRun.run(floor, threads, measure);
        floorNanos += System.nanoTime() - start;
        start = System.nanoTime();
        ferryDone += ConcurrentRun.run(ferry, threads, measure);
        ferryCommitNanos += System.nanoTime() - start;
        StoreBus.settle(store, bus); // the rows are deleted again: that is part of the cost
        ferryNanos += System.nanoTime() - start;
      }
      Result bareRun = StoreComparison.measured("bare tx", bareDone, bareNanos);
      Result ferryRun = StoreComparison.measured("tx + 1 message", ferryDone, ferryNanos);
      double bareRate = bareRun.perSecond();
      double ferryRate = ferryRun.perSecond();
      double ferryCommitRate =
          StoreComparison.measured("tx + 1 message, committed", ferryDone, ferryCommitNanos)
              .perSecond();
      double floorRate =
          StoreComparison.measured("raw JDBC floor", floorDone, floorNanos).perSecond();
      StoreComparison row =
          new StoreComparison(
              db.mode,
              "tx + 1 message vs bare tx",
              threads,
              "tx/s",
              bareRun,
              ferryRun,
              "<= 1.3x",
              bareRate / ferryRate <= 1.3,
              String.format(
                  Locale.ROOT,
                  "%d x %ds rounds; %.0f tx/s committed while sending, counted until the outbox"
                      + " was empty; raw JDBC floor (outbox row + delete) %.0f tx/s = %.2fx",
                  rounds,
                  measure.toSeconds(),
                  ferryCommitRate,
                  floorRate,
                  bareRate / floorRate));
      System.out.printf(
          Locale.ROOT,
          "tx, %d thread(s): bare %,.0f tx/s, with a message %,.0f tx/s -> %.2fx"
              + " (raw JDBC floor %,.0f tx/s -> %.2fx)%n",
          threads,
          bareRate,
          ferryRate,
          bareRate / ferryRate,
          floorRate,
          bareRate / floorRate);
      return row;
    } finally {
      bus.close();
      db.dropSchema(schema);
    }
  }
}
