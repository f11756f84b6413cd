package dev.ferry.benchmarks;

import dev.ferry.Address;
import dev.ferry.Envelope;
import dev.ferry.MessageBus;
import dev.ferry.MessageType;
import dev.ferry.jdbi.FerryJdbi;
import dev.ferry.jdbi.JdbiEnvelopeStore;
import dev.ferry.jdbi.testing.PostgresDatabase;
import dev.ferry.jdbi.testing.PostgresExtension;
import dev.ferry.spi.DeliveryHandler;
import dev.ferry.spi.Listener;
import dev.ferry.spi.ListenerSettings;
import dev.ferry.spi.OutgoingEnvelope;
import dev.ferry.spi.Sender;
import dev.ferry.spi.Transport;
import dev.ferry.spi.TransportCapabilities;
import dev.ferry.spi.TransportContext;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Handle;

/**
 * What the PostgreSQL envelope store costs, measured in one run against PostgreSQL on this machine:
 *
 * <ol>
 *   <li><b>Business transactions with one message each</b>: insert one business row and {@code
 *       bus.send} one message inside {@link FerryJdbi#useTransaction}, against the same transaction
 *       inserting only the business row, at 1 and 4 threads (one connection each). The transport
 *       does nothing, so only the store is measured; the Ferry rate counts until the sent rows have
 *       been deleted again. Target: Ferry costs at most 1.3 times the bare transaction.
 *   <li><b>Relay drain</b>: rows waiting in the outbox are claimed, sent to a transport that does
 *       nothing and deleted, against raw JDBC batched inserts (1000 per transaction) of the same
 *       rows into a table of the same shape. Target: at least 50 %.
 * </ol>
 *
 * <p>Each is run against a durable PostgreSQL (an embedded server with {@code fsync} and {@code
 * synchronous_commit} on, as in production) and the fast one the tests use ({@code fsync} off, or
 * the server in {@code FERRY_TEST_JDBC_URL}). Prints a table and writes {@code
 * target/benchmarks/store-results.csv} and {@code store-results.json}.
 *
 * <p>Run: {@code ./mvnw -q -pl benchmarks -am test-compile exec:exec@store}. Options go in {@code
 * FERRY_STORE_BENCH} (or are the arguments when run with {@code java}): {@code --rounds=5} of
 * {@code --seconds=2} each for bare and Ferry in turn, after {@code --warmup=5} seconds of each;
 * {@code --threads=1,4}, {@code --drain-rows=50000}, {@code --pg=durable,fast}, {@code
 * --out=target/benchmarks}.
 */
public final class StoreBenchmarks {
  private StoreBenchmarks() {}

  /** The message of the business transactions. */
  @MessageType("bench.store.order-placed.v1")
  public record OrderPlaced(UUID orderId, String customer, BigDecimal total) {}

  /** One figure: Ferry against its baseline. */
  record Row(
      String pg,
      String what,
      int threads,
      String unit,
      double baseline,
      double ferry,
      String target,
      boolean met,
      String note) {

    double ratio() {
      return what.startsWith("tx") ? baseline / ferry : ferry / baseline;
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new LinkedHashMap<>();
    List<String> all = new ArrayList<>(List.of(args));
    String env = System.getenv("FERRY_STORE_BENCH");
    if (env != null && !env.isBlank()) {
      all.addAll(List.of(env.trim().split("\\s+")));
    }
    for (String a : all) {
      String[] kv = a.replaceFirst("^--", "").split("=", 2);
      opts.put(kv[0], kv.length > 1 ? kv[1] : "true");
    }
    Duration seconds = Duration.ofSeconds(Long.parseLong(opts.getOrDefault("seconds", "2")));
    int rounds = Integer.parseInt(opts.getOrDefault("rounds", "5"));
    Duration warmup = Duration.ofSeconds(Long.parseLong(opts.getOrDefault("warmup", "5")));
    int drainRows = Integer.parseInt(opts.getOrDefault("drain-rows", "50000"));
    Path out = Path.of(opts.getOrDefault("out", "target/benchmarks"));
    List<Integer> threads = new ArrayList<>();
    for (String t : opts.getOrDefault("threads", "1,4").split(",")) {
      threads.add(Integer.parseInt(t.trim()));
    }
    List<Row> rows = new ArrayList<>();
    for (String pg : opts.getOrDefault("pg", "durable,fast").split(",")) {
      try (Database db = Database.start(pg.trim())) {
        System.out.printf(
            Locale.ROOT, "%n== PostgreSQL: %s; load average %s ==%n", db.description, load());
        for (int t : threads) {
          rows.add(transactions(db, t, seconds, rounds, warmup));
        }
        rows.addAll(drain(db, drainRows));
      }
    }
    print(rows);
    System.out.println("load average at the end: " + load());
    write(rows, out);
    System.exit(0);
  }

  // ---- (a) business transactions with one message each ----

  static Row transactions(Database db, int threads, Duration measure, int rounds, Duration warmup)
      throws Exception {
    String schema = "bench_tx_" + threads + "_" + System.nanoTime() % 100000;
    JdbiEnvelopeStore store = db.store(schema, threads + 6);
    MessageBus bus = bus(store, new NoopTransport(), Duration.ofMillis(500));
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
      Work bare = () -> store.jdbi().useTransaction(h -> insertOrder(h, orders));
      Work ferry =
          () ->
              FerryJdbi.useTransaction(
                  store,
                  h -> {
                    OrderPlaced o = insertOrder(h, orders);
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
      Work floor =
          () -> {
            String id = UUID.randomUUID() + "@noop:queue:orders";
            store
                .jdbi()
                .useTransaction(
                    h -> {
                      OrderPlaced o = insertOrder(h, orders);
                      try (PreparedStatement ps = h.getConnection().prepareStatement(floorInsert)) {
                        ps.setString(1, id);
                        ps.setString(2, id);
                        ps.setBytes(3, json(o).getBytes(StandardCharsets.UTF_8));
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
      run(bare, threads, warmup);
      run(ferry, threads, warmup);
      run(floor, threads, warmup);
      settle(store, bus);
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
        bareDone += run(bare, threads, measure);
        bareNanos += System.nanoTime() - start;
        start = System.nanoTime();
        floorDone += run(floor, threads, measure);
        floorNanos += System.nanoTime() - start;
        start = System.nanoTime();
        ferryDone += run(ferry, threads, measure);
        ferryCommitNanos += System.nanoTime() - start;
        settle(store, bus); // the rows are deleted again: that is part of the cost
        ferryNanos += System.nanoTime() - start;
      }
      double bareRate = bareDone / (bareNanos / 1e9);
      double ferryRate = ferryDone / (ferryNanos / 1e9);
      double ferryCommitRate = ferryDone / (ferryCommitNanos / 1e9);
      double floorRate = floorDone / (floorNanos / 1e9);
      Row row =
          new Row(
              db.mode,
              "tx + 1 message vs bare tx",
              threads,
              "tx/s",
              bareRate,
              ferryRate,
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

  private static OrderPlaced insertOrder(Handle h, String orders) {
    OrderPlaced o =
        new OrderPlaced(
            UUID.randomUUID(),
            "customer-" + ThreadLocalRandom.current().nextInt(1000),
            BigDecimal.valueOf(ThreadLocalRandom.current().nextInt(100000), 2));
    h.execute(
        "INSERT INTO " + orders + " (id, customer, total) VALUES (?, ?, ?)",
        o.orderId(),
        o.customer(),
        o.total());
    return o;
  }

  @FunctionalInterface
  interface Work {
    void run() throws Exception;
  }

  /** Runs {@code work} on {@code threads} threads for {@code time}; returns how often it ran. */
  static long run(Work work, int threads, Duration time) throws InterruptedException {
    AtomicLong done = new AtomicLong();
    long deadline = System.nanoTime() + time.toNanos();
    List<Thread> started = new ArrayList<>();
    Throwable[] failure = {null};
    for (int t = 0; t < threads; t++) {
      Thread th =
          new Thread(
              () -> {
                try {
                  while (System.nanoTime() < deadline) {
                    work.run();
                    done.incrementAndGet();
                  }
                } catch (Throwable e) {
                  failure[0] = e;
                }
              });
      th.start();
      started.add(th);
    }
    for (Thread th : started) {
      th.join();
    }
    if (failure[0] != null) {
      throw new IllegalStateException("A benchmark thread failed", failure[0]);
    }
    return done.get();
  }

  /** Waits until everything sent has left the outbox. */
  private static void settle(JdbiEnvelopeStore store, MessageBus bus) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      bus.flush(Duration.ofSeconds(10));
      if (store.outgoingCount() == 0) {
        return;
      }
      Thread.sleep(5);
    }
    throw new IllegalStateException("The outbox did not drain");
  }

  // ---- (b) relay drain against raw batched inserts ----

  static List<Row> drain(Database db, int rows) throws Exception {
    String schema = "bench_drain_" + System.nanoTime() % 100000;
    JdbiEnvelopeStore filler = db.store(schema, 10);
    filler.start("filler");
    JdbiEnvelopeStore store = filler;
    List<Row> result = new ArrayList<>();
    try {
      List<OutgoingEnvelope> envelopes = envelopes(rows);
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
      double raw = rows / ((System.nanoTime() - t0) / 1e9);

      // The same rows through the store, 1000 per transaction (unowned: for the relay).
      t0 = System.nanoTime();
      for (int i = 0; i < rows; i += 1000) {
        List<OutgoingEnvelope> batch = envelopes.subList(i, Math.min(rows, i + 1000));
        filler.inTransaction(
            uow -> {
              filler.storeOutgoing(uow, batch, null, null);
              return null;
            });
      }
      double stored = rows / ((System.nanoTime() - t0) / 1e9);
      result.add(
          new Row(
              db.mode,
              "store batched insert vs raw",
              1,
              "rows/s",
              raw,
              stored,
              "-",
              true,
              "storeOutgoing, 1000 per transaction"));

      // Drain with the default relay settings, then tuned ones.
      for (boolean tuned : new boolean[] {false, true}) {
        store = db.store(schema, 10); // the bus closes the store it runs on
        if (tuned) {
          for (int i = 0; i < rows; i += 1000) {
            List<OutgoingEnvelope> batch = envelopes.subList(i, Math.min(rows, i + 1000));
            filler.inTransaction(
                uow -> {
                  filler.storeOutgoing(uow, batch, null, null);
                  return null;
                });
          }
        }
        vacuum(db, schema);
        NoopTransport transport = new NoopTransport();
        long start = System.nanoTime();
        MessageBus bus =
            tuned
                ? bus(store, transport, Duration.ofMillis(20), 500, 4)
                : bus(store, transport, Duration.ofMillis(500), 100, 2);
        try {
          while (transport.sent.get() < rows) {
            Thread.sleep(2);
          }
          settle(store, bus);
          double rate = rows / ((System.nanoTime() - start) / 1e9);
          String settings =
              tuned
                  ? "poll 20ms, outbox batch 500, sender batch 500 x 4"
                  : "defaults: poll 500ms, batch 100, sender 100 x 2";
          result.add(
              new Row(
                  db.mode,
                  "relay drain vs raw insert",
                  1,
                  "rows/s",
                  raw,
                  rate,
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

  private static String json(OrderPlaced o) {
    return "{\"orderId\":\""
        + o.orderId()
        + "\",\"customer\":\""
        + o.customer()
        + "\",\"total\":"
        + o.total()
        + "}";
  }

  private static List<OutgoingEnvelope> envelopes(int n) {
    Address destination = Address.parse("noop:queue:orders");
    List<OutgoingEnvelope> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      OrderPlaced o =
          new OrderPlaced(UUID.randomUUID(), "customer-" + (i % 1000), BigDecimal.valueOf(i, 2));
      Envelope e =
          Envelope.builder()
              .id(UUID.randomUUID().toString())
              .messageType("bench.store.order-placed.v1")
              .contentType("application/json")
              .source("bench")
              .sentAt(Instant.now())
              .body(json(o).getBytes(StandardCharsets.UTF_8))
              .build();
      list.add(new OutgoingEnvelope(e, destination, null));
    }
    return list;
  }

  private static void insertRaw(Database db, String schema, List<OutgoingEnvelope> rows)
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

  private static void truncate(Database db, String schema, String table) throws Exception {
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      st.execute("TRUNCATE \"" + schema + "\"." + table);
    }
  }

  private static void vacuum(Database db, String schema) throws Exception {
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      st.execute("VACUUM ANALYZE \"" + schema + "\".outgoing");
    }
  }

  // ---- the bus and a transport that sends nowhere ----

  private static MessageBus bus(JdbiEnvelopeStore store, Transport transport, Duration poll) {
    return bus(store, transport, poll, 100, 2);
  }

  private static MessageBus bus(
      JdbiEnvelopeStore store, Transport transport, Duration poll, int batch, int senders) {
    return MessageBus.builder()
        .serviceName("bench")
        .transport(transport)
        .store(store)
        .messageTypes(OrderPlaced.class)
        .route(OrderPlaced.class, "queue:orders")
        .outboxPollInterval(poll)
        .outboxBatchSize(batch)
        .senderBatchSize(batch)
        .senderParallelism(senders)
        .build();
  }

  /** Accepts every batch and forgets it: only the store is measured. */
  static final class NoopTransport implements Transport {
    final AtomicLong sent = new AtomicLong();

    @Override
    public String name() {
      return "noop";
    }

    @Override
    public TransportCapabilities capabilities() {
      return new TransportCapabilities(false, false, false, false, 0);
    }

    @Override
    public void start(TransportContext context) {}

    @Override
    public Sender sender(Address destination) {
      return new Sender() {
        @Override
        public Address destination() {
          return destination;
        }

        @Override
        public void send(List<Envelope> batch) {
          sent.addAndGet(batch.size());
        }

        @Override
        public void close() {}
      };
    }

    @Override
    public Listener listen(Address source, ListenerSettings settings, DeliveryHandler handler) {
      throw new UnsupportedOperationException("The benchmark's transport does not receive");
    }

    @Override
    public void close() {}
  }

  // ---- the database ----

  /** A PostgreSQL for one pass of the benchmark. */
  static final class Database implements AutoCloseable {
    final String mode;
    final String description;
    final String jdbcUrl;
    final String user;
    final String password;
    private final EmbeddedPostgres own;

    private Database(
        String mode,
        String description,
        String jdbcUrl,
        String user,
        String password,
        EmbeddedPostgres own) {
      this.mode = mode;
      this.description = description;
      this.jdbcUrl = jdbcUrl;
      this.user = user;
      this.password = password == null ? "" : password;
      this.own = own;
    }

    static Database start(String mode) throws IOException {
      if (mode.equals("durable")) {
        EmbeddedPostgres pg =
            EmbeddedPostgres.builder()
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("max_connections", "100")
                .start();
        return new Database(
            mode,
            "embedded PostgreSQL 17, fsync on, synchronous_commit on (durable)",
            "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres",
            "postgres",
            "",
            pg);
      }
      if (!mode.equals("fast")) {
        throw new IllegalArgumentException("--pg takes durable and/or fast, not " + mode);
      }
      if (System.getenv("FERRY_TEST_JDBC_URL") != null) {
        PostgresDatabase external = PostgresExtension.database();
        return new Database(
            mode,
            "external PostgreSQL " + external.jdbcUrl(),
            external.jdbcUrl(),
            external.username(),
            external.password(),
            null);
      }
      EmbeddedPostgres pg = PostgresExtension.startEmbedded(null, 0);
      return new Database(
          mode,
          "embedded PostgreSQL 17 as the tests run it: fsync off, synchronous_commit off",
          "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres",
          "postgres",
          "",
          pg);
    }

    JdbiEnvelopeStore store(String schema, int poolSize) {
      return JdbiEnvelopeStore.builder()
          .jdbcUrl(jdbcUrl)
          .username(user)
          .password(password)
          .schema(schema)
          .poolSize(poolSize)
          .jtaRegistry("none")
          .build();
    }

    Connection connect() throws Exception {
      return DriverManager.getConnection(jdbcUrl, user, password);
    }

    void dropSchema(String schema) throws Exception {
      try (Connection c = connect();
          Statement st = c.createStatement()) {
        st.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
      }
    }

    @Override
    public void close() throws IOException {
      if (own != null) {
        own.close();
      }
    }
  }

  // ---- output ----

  /** The 1-minute load average, to judge how quiet the machine was. */
  static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  static void print(List<Row> rows) {
    System.out.printf(
        Locale.ROOT,
        "%n%-8s %-28s %3s %-7s %12s %12s %8s %-8s %-4s %s%n",
        "pg",
        "measurement",
        "thr",
        "unit",
        "baseline",
        "ferry",
        "ratio",
        "target",
        "met",
        "note");
    for (Row r : rows) {
      System.out.printf(
          Locale.ROOT,
          "%-8s %-28s %3d %-7s %,12.0f %,12.0f %8s %-8s %-4s %s%n",
          r.pg(),
          r.what(),
          r.threads(),
          r.unit(),
          r.baseline(),
          r.ferry(),
          r.what().startsWith("tx")
              ? String.format(Locale.ROOT, "%.2fx", r.ratio())
              : String.format(Locale.ROOT, "%.0f%%", 100 * r.ratio()),
          r.target(),
          r.target().equals("-") ? "" : r.met() ? "yes" : "NO",
          r.note());
    }
  }

  static void write(List<Row> rows, Path out) throws IOException {
    Files.createDirectories(out);
    StringBuilder csv =
        new StringBuilder("pg,measurement,threads,unit,baseline,ferry,ratio,target,met,note\n");
    StringBuilder json =
        new StringBuilder(
            "{\"at\":\""
                + Instant.now()
                + "\",\"cpus\":"
                + Runtime.getRuntime().availableProcessors()
                + ",\"java\":\""
                + System.getProperty("java.version")
                + "\",\"results\":[");
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      csv.append(
          String.format(
              Locale.ROOT,
              "%s,\"%s\",%d,%s,%.1f,%.1f,%.3f,\"%s\",%s,\"%s\"%n",
              r.pg(),
              r.what(),
              r.threads(),
              r.unit(),
              r.baseline(),
              r.ferry(),
              r.ratio(),
              r.target(),
              r.met(),
              r.note()));
      json.append(i == 0 ? "" : ",")
          .append(
              String.format(
                  Locale.ROOT,
                  "{\"pg\":\"%s\",\"measurement\":\"%s\",\"threads\":%d,\"unit\":\"%s\","
                      + "\"baseline\":%.1f,\"ferry\":%.1f,\"ratio\":%.3f,\"target\":\"%s\","
                      + "\"met\":%s,\"note\":\"%s\"}",
                  r.pg(),
                  r.what(),
                  r.threads(),
                  r.unit(),
                  r.baseline(),
                  r.ferry(),
                  r.ratio(),
                  r.target(),
                  r.met(),
                  r.note().replace("\"", "'")));
    }
    json.append("]}\n");
    Files.writeString(out.resolve("store-results.csv"), csv);
    Files.writeString(out.resolve("store-results.json"), json);
    System.out.println("\nWrote " + out.resolve("store-results.csv") + " and store-results.json");
  }
}
