package dev.ferry.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.ServiceBusQueueTrigger;
import dev.ferry.Handles;
import dev.ferry.MessageType;
import dev.ferry.functions.FerryFunctions;
import dev.ferry.functions.FerryFunctionsSetup;
import dev.ferry.functions.FunctionsWorker;
import dev.ferry.functions.ServiceBusTrigger;
import dev.ferry.testkit.PostgresExtension;
import dev.ferry.testkit.functions.InvocationContext;
import dev.ferry.testkit.servicebus.ServiceBusTestDouble;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Azure Functions overheads: the cold start (from the first invocation of a fresh worker process to
 * the handler's completion, the bus bootstrap included) and the warm per-invocation cost, of a
 * Service Bus triggered function handing its message to Ferry, against a bare function that does
 * the same JSON parse. Each run is a process of its own, as a new worker is; the Service Bus test
 * double and PostgreSQL run in this process. Run: {@code ./mvnw -q -pl benchmarks
 * exec:exec@functions}.
 */
public final class FunctionsBenchmark {
  static final String QUEUE = "bench";
  static final byte[] BODY =
      "{\"orderId\":\"o-1\",\"customer\":\"acme\",\"amount\":12.5,\"lines\":3}"
          .getBytes(StandardCharsets.UTF_8);

  private FunctionsBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].startsWith("--worker=")) {
      Worker.run(args[0].substring("--worker=".length()), Integer.parseInt(args[1]));
      return;
    }
    int reps = Integer.parseInt(System.getProperty("bench.reps", "5"));
    try (ServiceBusTestDouble serviceBus = ServiceBusTestDouble.builder().queue(QUEUE).start();
        EmbeddedPostgres pg = PostgresExtension.startEmbedded(null, 0)) {
      Map<String, String> sb = Map.of("ServiceBusConnection", serviceBus.connectionString());
      Map<String, String> durable = new HashMap<>(sb);
      durable.put("ferry.store.jdbc-url", pg.getJdbcUrl("postgres", "postgres"));
      durable.put("ferry.store.username", "postgres");
      durable.put("ferry.store.password", "");
      durable.put("ferry.store.schema", "functions_bench");
      worker("ferry-durable", durable, 10); // installs the schema, so that runs only check it
      Map<String, List<double[]>> runs = new LinkedHashMap<>();
      for (int r = 0; r < reps; r++) {
        runs.computeIfAbsent("bare", k -> new ArrayList<>()).add(worker("bare", Map.of(), 20_000));
        runs.computeIfAbsent("ferry", k -> new ArrayList<>()).add(worker("ferry", sb, 20_000));
        runs.computeIfAbsent("ferry-durable", k -> new ArrayList<>())
            .add(worker("ferry-durable", durable, 2_000));
      }
      report(runs);
    }
  }

  /** One worker process: returns {cold ms, warm µs per invocation, peak RSS MB}. */
  private static double[] worker(String kind, Map<String, String> settings, int warm)
      throws Exception {
    List<String> command = new ArrayList<>(List.of("java", "-Xmx256m"));
    settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            FunctionsBenchmark.class.getName(),
            "--worker=" + kind,
            String.valueOf(warm)));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    double[] result = null;
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("FUNCTION ")) {
          String[] f = line.substring(9).split(" ");
          result =
              new double[] {
                Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])
              };
        } else if (line.contains("Exception") || line.contains("ERROR")) {
          System.out.println("  [" + kind + "] " + line);
        }
      }
    }
    if (p.waitFor() != 0 || result == null) {
      throw new IllegalStateException("worker " + kind + " failed (exit " + p.exitValue() + ")");
    }
    return result;
  }

  private static void report(Map<String, List<double[]>> runs) throws Exception {
    double bareCold = median(runs.get("bare"), 0);
    double bareWarm = median(runs.get("bare"), 1);
    StringBuilder csv =
        new StringBuilder("worker,cold_ms,warm_us,cold_overhead_ms,warm_overhead_us,peak_rss_mb\n");
    System.out.printf(
        Locale.ROOT,
        "%-14s %10s %12s %16s %18s %8s%n",
        "worker",
        "cold ms",
        "warm µs/inv",
        "cold overhead ms",
        "warm overhead µs",
        "RSS MB");
    for (var e : runs.entrySet()) {
      double cold = median(e.getValue(), 0);
      double warm = median(e.getValue(), 1);
      double rss = median(e.getValue(), 2);
      System.out.printf(
          Locale.ROOT,
          "%-14s %10.1f %12.1f %16.1f %18.1f %8.0f%n",
          e.getKey(),
          cold,
          warm,
          cold - bareCold,
          warm - bareWarm,
          rss);
      csv.append(
          String.format(
              Locale.ROOT,
              "%s,%.1f,%.1f,%.1f,%.1f,%.0f%n",
              e.getKey(),
              cold,
              warm,
              cold - bareCold,
              warm - bareWarm,
              rss));
    }
    Path out = Path.of("target", "benchmarks");
    Files.createDirectories(out);
    Files.writeString(out.resolve("functions.csv"), csv.toString());
    System.out.println(
        "Medians of " + runs.get("bare").size() + " runs; CSV in " + out.resolve("functions.csv"));
  }

  private static double median(List<double[]> values, int index) {
    List<Double> v = new ArrayList<>();
    values.forEach(x -> v.add(x[index]));
    Collections.sort(v);
    return v.get(v.size() / 2);
  }

  /** The message both functions parse. */
  @MessageType("bench-order")
  public record BenchOrder(String orderId, String customer, double amount, int lines) {}

  /** Ferry's handler: the work is the parse, as in the bare function. */
  public static final class BenchHandler {
    static final AtomicLong HANDLED = new AtomicLong();

    @Handles(endpoint = "queue:" + QUEUE)
    public void on(BenchOrder order) {
      HANDLED.incrementAndGet();
    }
  }

  /** The benchmark app's setup, found through META-INF/services like an app's. */
  public static final class BenchSetup implements FerryFunctionsSetup {
    @Override
    public void configure(FunctionsWorker.Builder worker) {
      worker.bus(
          bus ->
              bus.serviceName("functions-bench")
                  .messageTypes(BenchOrder.class)
                  .handlerClasses(BenchHandler.class));
    }
  }

  /** The function class of the Ferry worker, shaped as a user writes it. */
  public static class FerryFunction {
    private static final ServiceBusTrigger ORDERS = FerryFunctions.queue(QUEUE);

    @FunctionName("order")
    public void order(
        @ServiceBusQueueTrigger(
                name = "message",
                queueName = QUEUE,
                connection = "ServiceBusConnection",
                dataType = "binary")
            byte[] body,
        @BindingName("MessageId") String messageId,
        @BindingName("DeliveryCount") int deliveryCount,
        @BindingName("Subject") String subject,
        @BindingName("ContentType") String contentType,
        @BindingName("ApplicationProperties") Map<String, Object> properties,
        @BindingName("EnqueuedTimeUtc") String enqueuedTimeUtc,
        com.microsoft.azure.functions.ExecutionContext context) {
      ORDERS.handle(
          ServiceBusTrigger.message(body)
              .messageId(messageId)
              .deliveryCount(deliveryCount)
              .subject(subject)
              .contentType(contentType)
              .applicationProperties(properties)
              .enqueuedTimeUtc(enqueuedTimeUtc),
          context);
    }
  }

  /** The bare function: the same parse with Jackson, nothing else. */
  public static class BareFunction {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final AtomicLong HANDLED = new AtomicLong();

    @FunctionName("order")
    public void order(
        @ServiceBusQueueTrigger(
                name = "message",
                queueName = QUEUE,
                connection = "ServiceBusConnection",
                dataType = "binary")
            byte[] body,
        com.microsoft.azure.functions.ExecutionContext context)
        throws java.io.IOException {
      JSON.readValue(body, BenchOrder.class);
      HANDLED.incrementAndGet();
    }
  }

  /** A worker process: the first invocation, then warm ones. */
  static final class Worker {
    static void run(String kind, int warm) throws Exception {
      String run = UUID.randomUUID().toString();
      Map<String, Object> props = new HashMap<>();
      props.put("cloudEvents_specversion", "1.0");
      props.put("cloudEvents_source", "bench");
      long start = System.nanoTime();
      invoke(kind, run + "-0", props);
      double coldMs = (System.nanoTime() - start) / 1e6;
      int warmup = Math.min(warm, 500);
      for (int i = 1; i <= warmup; i++) {
        invoke(kind, run + "-w" + i, props);
      }
      start = System.nanoTime();
      for (int i = 1; i <= warm; i++) {
        invoke(kind, run + "-" + i, props);
      }
      double warmUs = (System.nanoTime() - start) / 1e3 / warm;
      if (!kind.equals("bare")) {
        FerryFunctions.shutdown();
      }
      System.out.printf(Locale.ROOT, "FUNCTION %.2f %.2f %d%n", coldMs, warmUs, Rss.peakMb());
    }

    private static void invoke(String kind, String id, Map<String, Object> props) throws Exception {
      InvocationContext context = new InvocationContext("order");
      if (kind.equals("bare")) {
        new BareFunction().order(BODY, context);
      } else {
        new FerryFunction()
            .order(
                BODY,
                id,
                1,
                "bench-order",
                "application/json",
                props,
                "2026-11-21T07:00:00.1234567Z",
                context);
      }
    }
  }
}
