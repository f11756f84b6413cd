package dev.ferry.testkit.servicebus;

import java.util.concurrent.CountDownLatch;

/**
 * The test double as a process of its own, for trying a Service Bus configuration without an Azure
 * namespace: it creates every queue, topic and subscription on first use and prints the connection
 * string to give {@code ferry.servicebus.connection-string}. Arguments: {@code --port=N} (default:
 * a free port). Runs until it is stopped.
 *
 * <pre>{@code ./mvnw -q -pl test-kit-azure -am test-compile exec:java@servicebus-double}
 * </pre>
 */
public final class ServiceBusTestDoubleMain {
  /** The line that carries the connection string, for scripts that wait for it. */
  public static final String READY = "Service Bus test double listening: ";

  private ServiceBusTestDoubleMain() {}

  public static void main(String[] args) throws InterruptedException {
    int port = 0;
    for (String a : args) {
      if (a.startsWith("--port=")) {
        port = Integer.parseInt(a.substring("--port=".length()));
      } else {
        System.err.println("Unknown argument " + a + " (use --port=N)");
        System.exit(2);
      }
    }
    ServiceBusTestDouble bus =
        ServiceBusTestDouble.builder().autoCreateEntities(true).port(port).start();
    Runtime.getRuntime().addShutdownHook(new Thread(bus::close));
    System.out.println(READY + bus.connectionString());
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
