package dev.ferry.benchmarks;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
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
    Session ps = connection.createSession(true, Session.SESSION_TRANSACTED);
    MessageProducer producer = ps.createProducer(ps.createQueue(queueName));
    producer.setDeliveryMode(DeliveryMode.PERSISTENT);
    byte[] padding = new byte[504];
    // At a fixed rate a message must not wait for 99 others: commit each one, as a
    // latency-minded client would; at saturation, commit every 100.
    int batch = rate > 0 ? 1 : 100;
    Pacer pacer = new Pacer(rate);
    long start = System.nanoTime();
    for (int i = 0; i < messages; i++) {
      pacer.next();
      BytesMessage m = ps.createBytesMessage();
      m.writeBytes(ByteBuffer.allocate(8).putLong(System.nanoTime()).array());
      m.writeBytes(padding);
      producer.send(m);
      if ((i + 1) % batch == 0) {
        ps.commit();
      }
    }
    ps.commit();
    Result r = latencies.result(name(), rate, start, "");
    running.set(false);
    for (Thread t : threads) {
      t.join();
    }
    ps.close();
    return r;
  }

  private static void consume(
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
  public void close() throws Exception {
    connection.close();
  }
}
