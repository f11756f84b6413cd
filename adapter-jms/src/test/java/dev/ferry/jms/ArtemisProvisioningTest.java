package dev.ferry.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.Event;
import dev.ferry.MessageBus;
import dev.ferry.MessageType;
import dev.ferry.RoutingDescription;
import dev.ferry.testkit.EmbeddedArtemis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The broker.xml a routing description prints for Artemis, read by Artemis's own parser: a plain
 * AMQP 1.0 client that sends before any service ever started, without routing-type hints, has its
 * commands kept in the command's queue and handled once when the service starts.
 */
class ArtemisProvisioningTest {

  @MessageType("provisioning.place-order.v1")
  public record PlaceOrder(String orderId) {}

  @Event
  @MessageType("provisioning.order-placed.v1")
  public record OrderPlaced(String orderId) {}

  private EmbeddedArtemis broker;
  private MessageBus bus;
  private final Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();

  @AfterEach
  void stop() throws Exception {
    if (bus != null) {
      bus.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  private dev.ferry.BusBuilder service() {
    return MessageBus.builder()
        .serviceName("orders")
        .handle(PlaceOrder.class, (m, ctx) -> count(m.orderId()))
        .handle(OrderPlaced.class, (m, ctx) -> count("event " + m.orderId()));
  }

  private Object count(String key) {
    handled.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    return null;
  }

  @Test
  void thePrintedAddressesKeepWhatAForeignClientSendsBeforeTheServiceStarts() throws Exception {
    RoutingDescription routing = service().describeRouting();
    String xml = RoutingDescription.provisioning("jms", routing.entities());
    assertThat(xml)
        .contains("<address name=\"provisioning.place-order.v1\">")
        .contains("<queue name=\"provisioning.place-order.v1\"/>")
        .contains("<address name=\"provisioning.order-placed.v1\">\n    <multicast/>")
        .contains("<default-address-routing-type>ANYCAST</default-address-routing-type>")
        .contains("<default-address-routing-type>MULTICAST</default-address-routing-type>")
        .contains("subscription queue provisioning.order-placed.v1.orders");

    Path dir =
        Files.createDirectories(Path.of("target", "artemis-provisioned-" + System.nanoTime()));
    broker = EmbeddedArtemis.builder().dataDirectory(dir).brokerXml(xml).start();

    List<org.apache.qpid.proton.message.Message> early =
        List.of(order("early-1"), order("early-2"), order("early-3"));
    assertThat(ForeignAmqpSenderTest.send(broker.port(), "provisioning.place-order.v1", early))
        .isEqualTo(3);

    bus = service().transport(JmsTransport.builder().url(broker.tcpUrl()).build()).build();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> handled.keySet().containsAll(List.of("early-1", "early-2", "early-3")));
    Thread.sleep(1000);
    assertThat(handled).hasSize(3).allSatisfy((k, n) -> assertThat(n).hasValue(1));
  }

  static org.apache.qpid.proton.message.Message order(String id) {
    return ForeignAmqpSenderTest.documented("provisioning.place-order.v1", id);
  }
}
