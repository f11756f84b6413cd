package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The routing conventions: commands to a queue named after the alias, events to a topic named after
 * the alias with one subscription per handling service, and each handler listening on exactly the
 * one endpoint its messages are sent to.
 */
class RoutingConventionsTest {
  @RegisterExtension final LocalBuses buses = new LocalBuses();

  @MessageType("routing.place-order.v1")
  public record PlaceOrder(String id) {}

  @Event
  @MessageType("routing.order-placed.v1")
  public record OrderPlaced(String id) {}

  /** An event declared at registration instead of by annotation. */
  @MessageType("routing.stock-changed.v1")
  public record StockChanged(String sku) {}

  private MessageBus start(BusBuilder b) {
    return buses.start(b);
  }

  /** Places orders; publishes the event by returning it. */
  public static class OrderService {
    final List<String> placed = new CopyOnWriteArrayList<>();

    @Handles
    public OrderPlaced on(PlaceOrder command) {
      placed.add(command.id());
      return new OrderPlaced(command.id());
    }
  }

  /** One subscriber of the event. */
  public static class Subscriber {
    final List<String> seen = new CopyOnWriteArrayList<>();

    @Handles
    public void on(OrderPlaced event) {
      seen.add(event.id());
    }
  }

  @Test
  void aCommandHasOneQueueAndAnEventOneTopicWithASubscriptionPerService() {
    RoutingDescription billing =
        MessageBus.builder()
            .serviceName("billing")
            .handlers(new Subscriber())
            .messageTypes(PlaceOrder.class)
            .describeRouting();
    assertThat(billing.entities())
        .containsExactly(
            Address.queue("routing.place-order.v1"),
            Address.topic("routing.order-placed.v1"),
            Address.subscription("routing.order-placed.v1", "billing"));
    assertThat(billing.report())
        .contains("routing.place-order.v1 (" + PlaceOrder.class.getName() + "), a command")
        .contains("send    -> local:queue:routing.place-order.v1  [convention: a command's queue]")
        .contains("routing.order-placed.v1 (" + OrderPlaced.class.getName() + "), an event")
        .contains("publish -> local:topic:routing.order-placed.v1  [convention: an event's topic]")
        .contains("listens on local:topic:routing.order-placed.v1/subscriptions/billing")
        .doesNotContain("listens on local:queue:routing.order-placed.v1");

    RoutingDescription orders =
        MessageBus.builder().serviceName("orders").handlers(new OrderService()).describeRouting();
    assertThat(orders.entities())
        .as("the command's queue it listens on, the event's topic it publishes to; no subscription")
        .containsExactly(
            Address.queue("routing.place-order.v1"), Address.topic("routing.order-placed.v1"));
  }

  @Test
  void eachSubscribingServiceGetsOneCopyAndTheCommandOneHandler() throws Exception {
    OrderService orders = new OrderService();
    OrderService secondNode = new OrderService();
    Subscriber billing = new Subscriber();
    Subscriber email = new Subscriber();
    start(MessageBus.builder().serviceName("orders").handlers(orders));
    start(MessageBus.builder().serviceName("orders").handlers(secondNode));
    start(MessageBus.builder().serviceName("billing").handlers(billing));
    MessageBus sender =
        start(MessageBus.builder().serviceName("email").handlers(email).messageTypes());
    for (int i = 0; i < 10; i++) {
      sender.send(new PlaceOrder("o" + i));
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> billing.seen.size() == 10 && email.seen.size() == 10);
    Thread.sleep(200);
    assertThat(orders.placed.size() + secondNode.placed.size()).isEqualTo(10);
    assertThat(billing.seen).hasSize(10).doesNotHaveDuplicates();
    assertThat(email.seen).hasSize(10).doesNotHaveDuplicates();
  }

  @Test
  void sendingAnEventOrPublishingACommandFailsNamingTheType() {
    MessageBus bus = start(MessageBus.builder().messageTypes(PlaceOrder.class, OrderPlaced.class));
    assertThatThrownBy(() -> bus.send(new OrderPlaced("x")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Cannot send routing.order-placed.v1")
        .hasMessageContaining("it is an event");
    assertThatThrownBy(() -> bus.publish(new PlaceOrder("x")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Cannot publish routing.place-order.v1")
        .hasMessageContaining("@Event");
  }

  @Test
  void anEventDeclaredAtRegistrationIsPublishedAndScheduledToItsTopic() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    start(
        MessageBus.builder()
            .serviceName("warehouse")
            .events(StockChanged.class)
            .handle(
                StockChanged.class,
                (m, ctx) -> {
                  seen.add(m.sku() + "@" + ctx.endpoint());
                  return null;
                }));
    MessageBus publisher = start(MessageBus.builder().events(StockChanged.class));
    publisher.publish(new StockChanged("a"));
    publisher.schedule(new StockChanged("b"), Duration.ofMillis(50));
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 2);
    assertThat(seen)
        .containsExactlyInAnyOrder(
            "a@local:topic:routing.stock-changed.v1/subscriptions/warehouse",
            "b@local:topic:routing.stock-changed.v1/subscriptions/warehouse");
  }

  @Test
  void aQueueAndATopicSharingANameFailAtBuild() {
    BusBuilder clash =
        MessageBus.builder()
            .handlers(new Subscriber())
            .route(PlaceOrder.class, "queue:routing.order-placed.v1");
    assertThatThrownBy(clash::describeRouting)
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(
            "The queue and the topic 'routing.order-placed.v1' would share a name");
    assertThatThrownBy(() -> start(clash)).isInstanceOf(ConfigurationException.class);
  }

  @Test
  void anExplicitRouteWinsAndItsHandlersListenThere() {
    RoutingDescription routed =
        MessageBus.builder()
            .serviceName("billing")
            .handlers(new Subscriber(), new OrderService())
            .route(OrderPlaced.class, "topic:orders")
            .route(PlaceOrder.class, "queue:orders.commands")
            .describeRouting();
    assertThat(routed.entities())
        .containsExactly(
            Address.queue("orders.commands"),
            Address.topic("orders"),
            Address.subscription("orders", "billing"));
  }

  @Test
  void aNodeWithAConfiguredIdListsItsReplyQueue() {
    assertThat(MessageBus.builder().nodeId("n1").describeRouting().entities())
        .containsExactly(Address.queue("ferry.replies.n1"));
    assertThat(MessageBus.builder().describeRouting().entities()).isEmpty();
  }

  @Test
  void servicesThatDisagreeOnATypesKindFailWhenTheirEntitiesAreJoined() {
    RoutingDescription publisher =
        MessageBus.builder().serviceName("stock").events(StockChanged.class).describeRouting();
    RoutingDescription sender =
        MessageBus.builder().serviceName("shop").messageTypes(StockChanged.class).describeRouting();
    assertThatThrownBy(() -> RoutingDescription.union(List.of(publisher, sender)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'routing.stock-changed.v1' would share a name");
  }
}
