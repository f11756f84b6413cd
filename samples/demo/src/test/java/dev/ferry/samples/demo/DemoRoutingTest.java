package dev.ferry.samples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.RoutingDescription;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The routing description names, per transport on the class path, every entity a service needs, as
 * docs/concepts.md shows it.
 */
class DemoRoutingTest {

  @Test
  void billingsReportNamesItsEntitiesOnEveryTransport() {
    List<RoutingDescription> services = DemoServices.routing();
    String billing = services.get(DemoServices.NAMES.indexOf("billing")).report();
    assertThat(billing)
        .contains(
            """
            Entities this service needs
              topic:demo.order-placed.v1
              topic:demo.order-placed.v1/subscriptions/billing
            """)
        .contains(
            """
            On jms:
              address demo.order-placed.v1 (multicast)
              queue demo.order-placed.v1.billing on address demo.order-placed.v1 (multicast, \
            shared durable subscription, filter cloudEvents_ferrytarget IS NULL OR \
            cloudEvents_ferrytarget = 'billing')
            """)
        .contains(
            """
            On servicebus:
              topic demo.order-placed.v1
              subscription demo.order-placed.v1/subscriptions/billing with rule ferry: \
            cloudEvents_ferrytarget IS NULL OR cloudEvents_ferrytarget = 'billing'
            """)
        .contains(
            """
            On local:
              topic:demo.order-placed.v1
              topic:demo.order-placed.v1/subscriptions/billing
            """);
  }

  @Test
  void thePrintedArtemisSettingsTypeEveryAddress() {
    String xml = DemoApp.entities("jms");
    for (String queue :
        List.of("demo.ping.v1", "demo.remind-customer.v1", "demo.durable-note.v1")) {
      assertThat(xml).contains("<address name=\"" + queue + "\">\n    <anycast>");
    }
    assertThat(xml)
        .contains("<address name=\"demo.order-placed.v1\">\n    <multicast/>")
        .contains("subscription queue demo.order-placed.v1.billing")
        .contains("subscription queue demo.order-placed.v1.email");
  }
}
