package dev.ferry.servicebus.internal;

import com.azure.messaging.servicebus.ServiceBusErrorContext;
import com.azure.messaging.servicebus.ServiceBusProcessorClient;
import com.azure.messaging.servicebus.ServiceBusReceivedMessageContext;
import com.azure.messaging.servicebus.models.ServiceBusReceiveMode;
import dev.ferry.Address;
import java.util.function.Consumer;

/**
 * Builds the SDK's processor for a listener: peek-lock, auto-completion off, at most {@code
 * concurrency} handler calls at once; for a session entity one call per session and {@code
 * concurrency} sessions, which keeps each session's messages in order.
 */
final class ProcessorFactory {
  private ProcessorFactory() {}

  static ServiceBusProcessorClient build(
      ServiceBusClients clients,
      Address source,
      int concurrency,
      ServiceBusListener.Options options,
      Consumer<ServiceBusReceivedMessageContext> onMessage,
      Consumer<ServiceBusErrorContext> onError) {
    if (options.sessions()) {
      var b = clients.builder().sessionProcessor();
      if (source.kind() == Address.Kind.SUBSCRIPTION) {
        b.topicName(source.name()).subscriptionName(source.subscription());
      } else {
        b.queueName(source.name());
      }
      return b.receiveMode(ServiceBusReceiveMode.PEEK_LOCK)
          .disableAutoComplete()
          .maxConcurrentSessions(concurrency)
          .maxConcurrentCalls(1)
          .sessionIdleTimeout(options.sessionIdleTimeout())
          .prefetchCount(options.prefetch())
          .maxAutoLockRenewDuration(options.maxLockRenewal())
          .processMessage(onMessage)
          .processError(onError)
          .buildProcessorClient();
    }
    var b = clients.builder().processor();
    if (source.kind() == Address.Kind.SUBSCRIPTION) {
      b.topicName(source.name()).subscriptionName(source.subscription());
    } else {
      b.queueName(source.name());
    }
    return b.receiveMode(ServiceBusReceiveMode.PEEK_LOCK)
        .disableAutoComplete()
        .maxConcurrentCalls(concurrency)
        .prefetchCount(options.prefetch())
        .maxAutoLockRenewDuration(options.maxLockRenewal())
        .processMessage(onMessage)
        .processError(onError)
        .buildProcessorClient();
  }
}
