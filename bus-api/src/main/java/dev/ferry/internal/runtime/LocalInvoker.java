package dev.ferry.internal.runtime;

import dev.ferry.Address;
import dev.ferry.DeliveryOptions;
import dev.ferry.Envelope;
import dev.ferry.NoHandlerException;
import dev.ferry.internal.handlers.HandlerDescriptor;
import dev.ferry.internal.runtime.EnvelopeFactory.Mode;
import dev.ferry.spi.EnvelopeStore;
import java.util.List;

/** {@link dev.ferry.MessageBus#invoke}: the handlers in process, failures to the caller. */
final class LocalInvoker {
  private LocalInvoker() {}

  /** Runs handlers for a local invoke: no retries, failures go to the caller. */
  static Object invokeLocally(RuntimeParts parts, Object message, Envelope envelope)
      throws Exception {
    List<HandlerDescriptor> handlers = parts.handlers.handlersFor(message.getClass());
    if (handlers.isEmpty()) {
      throw new NoHandlerException(
          "No handler for "
              + message.getClass().getName()
              + " in service '"
              + parts.settings.serviceName()
              + "'");
    }
    Object[] last = new Object[1];
    EnvelopeStore.TransactionalWork<Void> work =
        uow -> {
          HandlerContext ctx =
              new HandlerContext(envelope, null, 1, uow, parts.factory, parts.observers);
          for (HandlerDescriptor h : handlers) {
            last[0] = h.invoker().invoke(message, ctx);
          }
          parts.outbox.enlist(uow, ctx.cascades);
          return null;
        };
    var ambient = parts.store.currentTransaction();
    if (ambient.isPresent()) {
      work.run(ambient.get());
    } else {
      parts.store.inTransaction(work);
    }
    return last[0];
  }

  static Envelope localEnvelope(RuntimeParts parts, Object message) {
    return parts
        .factory
        .create(
            message,
            Mode.SEND,
            DeliveryOptions.builder()
                .destination(Address.queue("local-invoke").on(parts.settings.transport()))
                .build(),
            null,
            null)
        .envelope();
  }
}
