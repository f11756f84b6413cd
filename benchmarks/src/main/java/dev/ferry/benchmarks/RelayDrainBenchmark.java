package dev.ferry.benchmarks;

import dev.ferry.Envelope;
import dev.ferry.MessageBus;
import dev.ferry.jdbi.JdbiEnvelopeStore;
import dev.ferry.spi.OutgoingEnvelope;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Relay drain: rows waiting in the outbox are claimed, sent to a transport that does nothing and
 * deleted, with the relay's default settings and with tuned ones, against raw JDBC batched inserts
 * (1000 per transaction) of the same rows into a table of the outbox's shape; and the store's own
 * batched insert of them against the same. Target: the drain reaches at least 50 % of the raw
 * insert rate.
 */
final class RelayDrainBenchmark {
  private RelayDrainBenchmark() {}

  static List<StoreComparison> measure(StoreDatabase db, int rows) throws Exception {
    String schema = "bench_drain_" + System.nanoTime() % 100000;
    JdbiEnvelopeStore filler = db.store(schema, 10);
    filler.start("filler");
    JdbiEnvelopeStore store = filler;
    List<StoreComparison> result = new ArrayList<>();
    try {
      List<OutgoingEnvelope> envelopes = StoreOrders.envelopes(rows);
      // Raw JDBC, 1000 rows per transaction, into a table of the outbox's shape.
      try (Connection c = db.connect();
          Statement st = c.createStatement()) {
        st.execute(
            "CREATE TABLE \""
                + schema
                + "\".raw_outgoing (LIKE \""
                + schema
                + "\".outgoing INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING INDEXES)");
      }
      insertRaw(db, schema, envelopes.subList(0, Math.min(rows, 5000))); // warm-up
      truncate(db, schema, "raw_outgoing");
      long t0 = System.nanoTime();
      insertRaw(db, schema, envelopes);
      Result rawRun = StoreComparison.measured("raw insert", rows, System.nanoTime() - t0);
      double raw = rawRun.perSecond();

      // The same rows through the store, 1000 per transaction (unowned: for the relay).
      t0 = System.nanoTime();
      storeUnowned(filler, envelopes);
      Result storedRun = StoreComparison.measured("store insert", rows, System.nanoTime() - t0);
      result.add(
          new StoreComparison(
              db.mode,
              "store batched insert vs raw",
              1,
              "rows/s",
              rawRun,
              storedRun,
              "-",
              true,
              "storeOutgoing, 1000 per transaction"));

      // Drain with the default relay settings, then tuned ones.
      for (boolean tuned : new boolean[] {false, true}) {
        store = db.store(schema, 10); // the bus closes the store it runs on
        if (tuned) {
          storeUnowned(filler, envelopes);
        }
        vacuum(db, schema);
        NoopTransport transport = new NoopTransport();
        long start = System.nanoTime();
        MessageBus bus =
            tuned
                ? StoreBus.bus(store, transport, Duration.ofMillis(20), 500, 4)
                : StoreBus.bus(store, transport, Duration.ofMillis(500), 100, 2);
        try {
          while (transport.sent.get() < rows) {
            Thread.sleep(2);
          }
          StoreBus.settle(store, bus);
          Result drainRun =
              StoreComparison.measured("relay drain", rows, System.nanoTime() - start);
          double rate = drainRun.perSecond();
          String settings =
              tuned
                  ? "poll 20ms, outbox batch 500, sender batch 500 x 4"
                  : "defaults: poll 500ms, batch 100, sender 100 x 2";
          result.add(
              new StoreComparison(
                  db.mode,
                  "relay drain vs raw insert",
                  1,
                  "rows/s",
                  rawRun,
                  drainRun,
                  ">= 50%",
                  rate / raw >= 0.5,
                  settings + "; " + transport.sent.get() + " sent"));
          System.out.printf(
              Locale.ROOT,
              "drain of %,d rows (%s): %,.0f rows/s; raw insert %,.0f rows/s -> %.0f%%%n",
              rows,
              settings,
              rate,
              raw,
              100 * rate / raw);
        } finally {
          bus.close();
        }
      }
    } finally {
      filler.close();
      db.dropSchema(schema);
    }
    return result;
  }

  /** Stores the rows through the store, 1000 per transaction, unowned: for the relay. */
  private static void storeUnowned(JdbiEnvelopeStore store, List<OutgoingEnvelope> envelopes)
      throws Exception {
    for (int i = 0; i < envelopes.size(); i += 1000) {
      List<OutgoingEnvelope> batch = envelopes.subList(i, Math.min(envelopes.size(), i + 1000));
      store.inTransaction(
          uow -> {
            store.storeOutgoing(uow, batch, null, null);
            return null;
          });
    }
  }

  private static void insertRaw(StoreDatabase db, String schema, List<OutgoingEnvelope> rows)
      throws Exception {
    String sql =
        "INSERT INTO \""
            + schema
            + "\".raw_outgoing (id, destination, not_before, message_id, message_type,"
            + " content_type, source, sent_at, attempts, headers, body)"
            + " VALUES (?, ?, '-infinity', ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?)";
    try (Connection c = db.connect()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        int n = 0;
        for (OutgoingEnvelope o : rows) {
          Envelope e = o.envelope();
          ps.setString(1, o.id());
          ps.setString(2, o.destination().toString());
          ps.setString(3, e.id());
          ps.setString(4, e.messageType());
          ps.setString(5, e.contentType());
          ps.setString(6, e.source());
          ps.setTimestamp(7, Timestamp.from(e.sentAt()));
          ps.setInt(8, e.attempts());
          ps.setString(9, "{}");
          ps.setBytes(10, e.body());
          ps.addBatch();
          if (++n % 1000 == 0) {
            ps.executeBatch();
            c.commit();
          }
        }
        ps.executeBatch();
        c.commit();
      }
    }
  }

  private static void truncate(StoreDatabase db, String schema, String table) throws Exception {
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      st.execute("TRUNCATE \"" + schema + "\"." + table);
    }
  }

  private static void vacuum(StoreDatabase db, String schema) throws Exception {
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      st.execute("VACUUM ANALYZE \"" + schema + "\".outgoing");
    }
  }
}
