package dev.ferry.internal.runtime;

import dev.ferry.Address;
import dev.ferry.DeliveryOptions;
import dev.ferry.Envelope;
import dev.ferry.MessageContext;
import dev.ferry.internal.runtime.EnvelopeFactory.Mode;
import dev.ferry.spi.OutgoingEnvelope;
import dev.ferry.spi.SendScope;
import dev.ferry.spi.UnitOfWork;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** The {@link MessageContext} of one handling attempt; collects cascades for its unit of work. */
final class HandlerContext implements MessageContext {
  private final Envelope envelope;
  private final Address endpoint;
  private final int attempt;
  private final UnitOfWork uow;
  private final EnvelopeFactory factory;
  private final Observers observers;
  final List<OutgoingEnvelope> cascades = new ArrayList<>();

  HandlerContext(
      Envelope envelope,
      Address endpoint,
      int attempt,
      UnitOfWork uow,
      EnvelopeFactory factory,
      Observers observers) {
    this.envelope = envelope;
    this.endpoint = endpoint;
    this.attempt = attempt;
    this.uow = uow;
    this.factory = factory;
    this.observers = observers;
  }

  /**
   * Adds a cascade with the trace context the observers give it; its send scope ends at once, on
   * the handling thread, inside the handling's scope.
   */
  private void cascade(OutgoingEnvelope untraced) {
    try (SendScope scope = observers.sending(untraced.envelope(), untraced.destination())) {
      cascades.add(Observers.traced(untraced, scope));
    }
  }

  @Override
  public Envelope envelope() {
    return envelope;
  }

  @Override
  public Address endpoint() {
    return endpoint;
  }

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public void respond(Object reply) {
    cascade(factory.create(reply, Mode.REPLY, DeliveryOptions.none(), envelope, null));
  }

  @Override
  public void send(Object message) {
    send(message, DeliveryOptions.none());
  }

  @Override
  public void send(Object message, DeliveryOptions options) {
    cascade(factory.create(message, Mode.SEND, options, envelope, null));
  }

  @Override
  public void publish(Object message) {
    publish(message, DeliveryOptions.none());
  }

  @Override
  public void publish(Object message, DeliveryOptions options) {
    cascade(factory.create(message, Mode.PUBLISH, options, envelope, null));
  }

  @Override
  public void schedule(Object message, Instant at) {
    cascade(factory.create(message, Mode.ROUTED, DeliveryOptions.none(), envelope, at));
  }

  @Override
  public <T> Optional<T> resource(Class<T> type) {
    return uow.resource(type);
  }

  /** Cascades a handler's return value: a message, an iterable or array of them, or nothing. */
  void cascadeReturned(Object result, Function<Class<?>, String> aliasOf) {
    if (result == null) {
      return;
    }
    if (result instanceof Optional<?> o) {
      o.ifPresent(v -> cascadeReturned(v, aliasOf));
      return;
    }
    if (result instanceof Iterable<?> it) {
      it.forEach(v -> cascadeReturned(v, aliasOf));
      return;
    }
    if (result instanceof Object[] array) {
      for (Object v : array) {
        cascadeReturned(v, aliasOf);
      }
      return;
    }
    if (envelope.replyTo() != null
        && envelope.replyType() != null
        && envelope.replyType().equals(aliasOf.apply(result.getClass()))) {
      respond(result);
    } else {
      cascade(factory.create(result, Mode.ROUTED, DeliveryOptions.none(), envelope, null));
    }
  }
}
