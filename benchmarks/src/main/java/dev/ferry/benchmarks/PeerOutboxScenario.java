package dev.ferry.benchmarks;

import com.gruelbox.transactionoutbox.Dialect;
import com.gruelbox.transactionoutbox.Instantiator;
import com.gruelbox.transactionoutbox.Persistor;
import com.gruelbox.transactionoutbox.Submitter;
import com.gruelbox.transactionoutbox.ThreadLocalContextTransactionManager;
import com.gruelbox.transactionoutbox.TransactionManager;
import com.gruelbox.transactionoutbox.TransactionOutbox;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * The peer: gruelbox transaction-outbox storing each message in the same PostgreSQL, in business
 * transactions of {@code txSize}, and delivering it to the same Artemis as it is meant to be used:
 * each scheduled call runs after commit on its submitter's executor and sends one persistent JMS
 * message. A plain JMS consumer receives them.
 */
final class PeerOutboxScenario implements Scenario {
  private final Connection connection;
  private final DataSource dataSource;
  private final int producers;
  private final int txSize;
  private final ThreadLocal<Session> sessions = new ThreadLocal<>();
  private volatile String queueName;
  private int run;

  PeerOutboxScenario(String url, DataSource dataSource, int producers, int txSize)
      throws Exception {
    this.connection = new ActiveMQConnectionFactory(url).createConnection();
    this.connection.start();
    this.dataSource = dataSource;
    this.producers = producers;
    this.txSize = txSize;
  }

  @Override
  public String name() {
    return "peer: gruelbox outbox, tx of " + txSize;
  }

  /** The method the outbox calls after commit, once per message. */
  public class JmsPublisher {
    public void publish(long sentNanos, int n) throws Exception {
      Session s = sessions.get();
      if (s == null) {
        s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        sessions.set(s);
      }
      MessageProducer p = s.createProducer(s.createQueue(queueName));
      p.setDeliveryMode(DeliveryMode.PERSISTENT);
      BytesMessage m = s.createBytesMessage();
      m.writeBytes(ByteBuffer.allocate(8).putLong(sentNanos).array());
      m.writeBytes(new byte[504]);
      p.send(m);
      p.close();
    }
  }

  @Override
  public Result run(int messages, int rate) throws Exception {
    queueName = "bench.peer." + (++run);
    Latencies latencies = new Latencies(messages);
    AtomicBoolean running = new AtomicBoolean(true);
    List<Thread> consumers = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      Session s = connection.createSession(true, Session.SESSION_TRANSACTED);
      MessageConsumer consumer = s.createConsumer(s.createQueue(queueName));
      Thread t = new Thread(() -> RawJmsScenario.consume(s, consumer, latencies, running));
      t.start();
      consumers.add(t);
    }
    ThreadLocalContextTransactionManager tm = TransactionManager.fromDataSource(dataSource);
    ExecutorService submitter = Executors.newFixedThreadPool(4);
    JmsPublisher publisher = new JmsPublisher();
    TransactionOutbox outbox =
        TransactionOutbox.builder()
            .transactionManager(tm)
            .persistor(Persistor.forDialect(Dialect.POSTGRESQL_9))
            .instantiator(Instantiator.using(c -> publisher))
            .submitter(Submitter.withExecutor(submitter))
            .attemptFrequency(Duration.ofSeconds(10))
            .build();
    long start = Pacer.produce(producers, messages, txSize, rate, scheduleChunk(tm, outbox));
    Result r = latencies.result(name(), rate, start, "");
    running.set(false);
    for (Thread t : consumers) {
      t.join();
    }
    submitter.shutdown();
    return r;
  }

  /** Schedules a chunk of publications through the outbox, in one transaction. */
  private static Pacer.Chunk scheduleChunk(
      ThreadLocalContextTransactionManager tm, TransactionOutbox outbox) {
    return (first, count) ->
        tm.inTransactionThrows(
            tx -> {
              for (int i = 0; i < count; i++) {
                outbox.schedule(JmsPublisher.class).publish(System.nanoTime(), first + i);
              }
            });
  }

  @Override
  public void close() throws JMSException {
    connection.close();
  }
}
