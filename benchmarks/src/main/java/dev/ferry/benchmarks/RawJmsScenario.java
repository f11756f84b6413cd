package dev.ferry.benchmarks;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * The native twin: plain JMS to the same broker, persistent 512-byte messages, sent and received in
 * transactions of up to 100. What Ferry is measured against.
 */
final class RawJmsScenario implements Scenario {
  private final Connection connection;
  private final int consumers;
  private int run;

  RawJmsScenario(String url, int consumers) throws Exception {
    this.connection = new ActiveMQConnectionFactory(url).createConnection();
    this.connection.start();
    this.consumers = consumers;
  }

  @Override
  public String name() {
    return "raw JMS, tx batches of 100";
  }

  @Override
  public Result run(int messages, int rate) throws Exception {
    String queueName = "bench.raw." + (++run);
    Latencies latencies = new Latencies(messages);
    AtomicBoolean running = new AtomicBoolean(true);
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < consumers; c++) {
      Session s = connection.createSession(true, Session.SESSION_TRANSACTED);
      MessageConsumer consumer = s.createConsumer(s.createQueue(queueName));
      Thread t = new Thread(() -> consume(s, consumer, latencies, running), "raw-consumer-" + c);
      t.start();
      threads.add(t);
    }
    // At saturation one producer commits every 100 messages. At a fixed rate a message must not
    // wait for 99 others, so 4 producers commit each message, as a latency-minded client would.
    int producers = rate > 0 ? 4 : 1;
    int batch = rate > 0 ? 1 : 100;
    java.util.concurrent.atomic.AtomicInteger next =
        new java.util.concurrent.atomic.AtomicInteger();
    List<Thread> senders = new ArrayList<>();
    long start = System.nanoTime();
    for (int p = 0; p < producers; p++) {
      int threadRate = rate <= 0 ? 0 : Math.max(1, rate / producers);
      Thread t = new Thread(() -> produce(next, messages, batch, threadRate, queueName));
      t.start();
      senders.add(t);
    }
    for (Thread t : senders) {
      t.join();
    }
    Result r = latencies.result(name(), rate, start, "");
    running.set(false);
    for (Thread t : threads) {
      t.join();
    }
    return r;
  }

  private void produce(
      java.util.concurrent.atomic.AtomicInteger next,
      int messages,
      int batch,
      int rate,
      String queueName) {
    byte[] padding = new byte[504];
    Pacer pacer = new Pacer(rate);
    try {
      Session ps = connection.createSession(true, Session.SESSION_TRANSACTED);
      MessageProducer producer = ps.createProducer(ps.createQueue(queueName));
      producer.setDeliveryMode(DeliveryMode.PERSISTENT);
      int inTx = 0;
      while (next.getAndIncrement() < messages) {
        pacer.next();
        BytesMessage m = ps.createBytesMessage();
        m.writeBytes(ByteBuffer.allocate(8).putLong(System.nanoTime()).array());
        m.writeBytes(padding);
        producer.send(m);
        if (++inTx == batch) {
          ps.commit();
          inTx = 0;
        }
      }
      ps.commit();
      ps.close();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Receives in transactions of up to 100, recording the latency carried in the first bytes. */
  static void consume(
      Session s, MessageConsumer consumer, Latencies latencies, AtomicBoolean running) {
    byte[] head = new byte[8];
    try {
      int inTx = 0;
      while (running.get()) {
        Message m = inTx == 0 ? consumer.receive(100) : consumer.receiveNoWait();
        if (m == null) {
          if (inTx > 0) {
            s.commit();
            inTx = 0;
          }
          continue;
        }
        ((BytesMessage) m).readBytes(head);
        latencies.record(ByteBuffer.wrap(head).getLong());
        if (++inTx == 100) {
          s.commit();
          inTx = 0;
        }
      }
      s.close();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws JMSException {
    connection.close();
  }
}
