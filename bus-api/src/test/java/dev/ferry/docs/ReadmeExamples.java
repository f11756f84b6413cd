package dev.ferry.docs;

/**
 * The README's picture of the problem, compiled with stand-ins for a repository and a broker client
 * (DocSnippetsTest compares the README's block with the tagged region).
 */
@SuppressWarnings("unused")
final class ReadmeExamples {
  record Order(String id) {}

  record OrderPlaced(Order order) {}

  interface Orders {
    void insert(Order order);
  }

  interface Broker {
    void send(Object message);
  }

  private ReadmeExamples() {}

  static void twoSteps(Orders orders, Broker broker, Order order) {
    // tag::two-steps[]
    orders.insert(order); // 1. commit to the database
    broker.send(new OrderPlaced(order)); // 2. publish the event
    // end::two-steps[]
  }
}
