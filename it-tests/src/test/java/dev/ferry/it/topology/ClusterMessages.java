package dev.ferry.it.topology;

import dev.ferry.BusBuilder;
import dev.ferry.Event;
import dev.ferry.MessageBus;
import dev.ferry.MessageType;
import dev.ferry.OutboxOptions;
import dev.ferry.jdbi.JdbiEnvelopeStore;
import dev.ferry.jms.JmsTransport;
import java.time.Duration;
import org.jdbi.v3.core.Handle;

/** What the cluster suite's services exchange, and how each of them is wired. */
final class ClusterMessages {
  private ClusterMessages() {}

  /** A command, for the worker service's competing nodes. */
  @MessageType("ferry.it.cluster.job.v1")
  public record Job(String key) {}

  /** The event a worker publishes for each job it did; every subscribing service gets one. */
  @Event
  @MessageType("ferry.it.cluster.job-done.v1")
  public record JobDone(String key, String node) {}

  static final String JOBS = "queue:cluster.jobs";

  /** A worker node: does a job, records it, publishes that it is done; also hears every event. */
  static MessageBus worker(String node, String brokerUrl, JdbiEnvelopeStore store, Effects fx) {
    return common("worker", node, brokerUrl, store)
        .handle(
            Job.class,
            (job, ctx) -> {
              fx.record(ctx.resource(Handle.class).orElseThrow(), "job", job.key(), node);
              ctx.publish(new JobDone(job.key(), node)); // in the outbox, with the effect
              return null;
            })
        .handle(
            JobDone.class,
            (done, ctx) -> {
              fx.record(ctx.resource(Handle.class).orElseThrow(), "done-worker", done.key(), node);
              return null;
            })
        .build();
  }

  /** Another service subscribing to the same event, which also submits the jobs. */
  static MessageBus auditor(String brokerUrl, JdbiEnvelopeStore store, Effects fx) {
    return common("auditor", "auditor-1", brokerUrl, store)
        .messageTypes(Job.class)
        .handle(
            JobDone.class,
            (done, ctx) -> {
              fx.record(ctx.resource(Handle.class).orElseThrow(), "done-audit", done.key(), "a");
              return null;
            })
        .build();
  }

  private static BusBuilder common(
      String service, String node, String brokerUrl, JdbiEnvelopeStore store) {
    return MessageBus.builder()
        .serviceName(service)
        .nodeId(node)
        .transport(JmsTransport.builder().url(brokerUrl).build())
        .store(store)
        .route(Job.class, JOBS)
        // Short leases, so that a killed node's outbox rows are taken over within the test.
        .outbox(
            OutboxOptions.defaults()
                .lease(Duration.ofSeconds(3))
                .pollInterval(Duration.ofMillis(200)));
  }
}
