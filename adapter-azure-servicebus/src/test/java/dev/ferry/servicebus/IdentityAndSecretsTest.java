package dev.ferry.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import dev.ferry.ConfigurationException;
import dev.ferry.Envelope;
import dev.ferry.FerryException;
import dev.ferry.MessageBus;
import dev.ferry.config.FerryConfig;
import dev.ferry.spi.HostExecutors;
import dev.ferry.spi.Sender;
import dev.ferry.spi.TransportContext;
import dev.ferry.testkit.conformance.TestMessages.Work;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Connecting by connection string or by namespace and identity, checked without reaching Azure:
 * what fails, with which message, and that no key or token is ever shown.
 */
class IdentityAndSecretsTest {
  private static final String KEY = "S3cr3tKeyValue+Abc/123=";
  private static final String TOKEN = "eyJ0eXAiOiJKV1Qi.secret-token";

  @Test
  void neitherAConnectionStringNorANamespaceFailsAtStartNamingBothKeys() {
    assertThatThrownBy(() -> MessageBus.builder().transport("servicebus").build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("ferry.servicebus.connection-string")
        .hasMessageContaining("FERRY_SERVICEBUS_CONNECTION_STRING")
        .hasMessageContaining("ferry.servicebus.namespace")
        .hasMessageContaining("FERRY_SERVICEBUS_NAMESPACE");
  }

  @Test
  void theFactoryReadsTheKeysFromConfiguration() {
    try (LogCapture logs = new LogCapture();
        MessageBus bus =
            MessageBus.builder()
                .transport("servicebus")
                .property("ferry.servicebus.namespace", "ferry-config.servicebus.windows.net")
                .property(
                    "ferry.servicebus.managed-identity-client-id", "00000000-0000-0000-0000-1")
                .build()) {
      assertThat(bus.serviceName()).isNotBlank();
      assertThat(logs.text())
          .contains("namespace ferry-config.servicebus.windows.net with DefaultAzureCredential");
    }
  }

  @Test
  void aNamespaceAndACredentialStartWithoutReachingAzureAndNoTokenIsLogged() {
    RecordingCredential credential = new RecordingCredential();
    try (LogCapture logs = new LogCapture()) {
      ServiceBusTransport transport =
          ServiceBusTransport.builder()
              .namespace("ferry-test.servicebus.windows.net")
              .credential(credential)
              .build();
      try (MessageBus bus =
          MessageBus.builder().serviceName("passwordless").transport(transport).build()) {
        assertThat(bus.serviceName()).isEqualTo("passwordless");
      }
      assertThat(credential.calls.get()).isZero(); // nothing was sent, so no token was asked for
      assertThat(transport.toString())
          .contains("ferry-test.servicebus.windows.net")
          .contains("RecordingCredential");
      assertThat(logs.text())
          .contains(
              "Service Bus transport ready (namespace ferry-test.servicebus.windows.net with"
                  + " RecordingCredential)")
          .doesNotContain(TOKEN);
    }
  }

  @Test
  void aNamespaceMustBeAHostName() {
    assertThatThrownBy(
            () ->
                MessageBus.builder()
                    .transport(
                        ServiceBusTransport.builder()
                            .namespace("sb://ferry-test.servicebus.windows.net/")
                            .build())
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("ferry.servicebus.namespace")
        .hasMessageContaining("host name");
  }

  @Test
  void aMalformedConnectionStringFailsWithoutQuotingIt() {
    for (String bad :
        List.of(
            "Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=k;" + KEY,
            "SharedAccessKeyName=k;SharedAccessKey=" + KEY,
            "Endpoint=sb://x.servicebus.windows.net/;SharedAccessKey=" + KEY)) {
      Throwable error =
          catchThrowable(
              () ->
                  MessageBus.builder()
                      .transport(ServiceBusTransport.builder().connectionString(bad).build())
                      .build());
      assertThat(error)
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("ferry.servicebus.connection-string is not a valid");
      assertThat(fullText(error)).doesNotContain(KEY).doesNotContain("S3cr3t");
    }
  }

  @Test
  void theSharedAccessKeyIsNeverInErrorsOrLogs() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    String connectionString =
        "Endpoint=sb://localhost:"
            + closedPort
            + ";SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey="
            + KEY
            + ";UseDevelopmentEmulator=true";
    try (LogCapture logs = new LogCapture()) {
      // A listener checks its entity at start: nobody answers, and the bus fails to start.
      Throwable atStart =
          catchThrowable(
              () ->
                  MessageBus.builder()
                      .transport(unreachable(connectionString))
                      .route(Work.class, "queue:secrets.work")
                      .handle(Work.class, (w, ctx) -> null)
                      .build());
      assertThat(atStart).isInstanceOf(FerryException.class).hasMessageContaining("Cannot reach");
      assertThat(fullText(atStart)).doesNotContain(KEY);

      ServiceBusTransport transport = unreachable(connectionString);
      transport.start(
          new TransportContext(
              "secrets", "node-1", FerryConfig.of(Map.of()), HostExecutors.bounded()));
      try (Sender sender = transport.sender(dev.ferry.Address.queue("secrets.work"))) {
        Throwable atSend =
            catchThrowable(
                () -> sender.send(List.of(Envelope.builder().messageType("t.v1").build())));
        assertThat(atSend).isInstanceOf(FerryException.class);
        assertThat(fullText(atSend)).doesNotContain(KEY);
      } finally {
        assertThat(transport.toString())
            .contains("endpoint sb://localhost:" + closedPort)
            .contains("key name RootManageSharedAccessKey")
            .doesNotContain(KEY);
        transport.close();
      }
      assertThat(logs.text())
          .contains("Service Bus transport ready (endpoint sb://localhost:" + closedPort)
          .doesNotContain(KEY)
          .doesNotContain("S3cr3t");
    }
  }

  private static ServiceBusTransport unreachable(String connectionString) {
    return ServiceBusTransport.builder()
        .connectionString(connectionString)
        .tryTimeout(Duration.ofSeconds(1))
        .maxRetries(0)
        .build();
  }

  private static Throwable catchThrowable(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(call);
    assertThat(t).as("an exception").isNotNull();
    return t;
  }

  /** Messages and stack traces of the whole cause chain. */
  private static String fullText(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }

  /** A credential that counts the tokens asked of it. */
  static final class RecordingCredential implements TokenCredential {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public Mono<AccessToken> getToken(TokenRequestContext request) {
      calls.incrementAndGet();
      return Mono.just(new AccessToken(TOKEN, OffsetDateTime.now().plusHours(1)));
    }
  }
}
