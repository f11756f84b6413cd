package dev.ferry.samples.orders.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.HttpStatusType;
import dev.ferry.functions.FerryFunctions;
import dev.ferry.testkit.PostgresDatabase;
import dev.ferry.testkit.PostgresExtension;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The HTTP health function over the worker's bus (PostgreSQL store, Service Bus test double). */
@ExtendWith(PostgresExtension.class)
class HealthFunctionTest {
  private FunctionAppSettings app;

  @BeforeEach
  void start(PostgresDatabase database) {
    app = FunctionAppSettings.set(database);
  }

  @AfterEach
  void stop() {
    app.close();
  }

  @Test
  void readyAndLiveWhileTheBusRunsAndNotLiveOnceItIsClosed() {
    HealthFunction function = new HealthFunction();
    HttpResponseMessage ready = function.health(get("ready"), "ready", null);
    assertThat(ready.getStatusCode()).isEqualTo(200);
    assertThat(ready.getBody()).isEqualTo("{\"probe\":\"ready\",\"status\":\"UP\",\"reasons\":[]}");
    assertThat(function.health(get("live"), "live", null).getStatusCode()).isEqualTo(200);
    assertThat(function.health(get("other"), "other", null).getStatusCode()).isEqualTo(404);

    FerryFunctions.bus().close();
    HttpResponseMessage live = function.health(get("live"), "live", null);
    assertThat(live.getStatusCode()).isEqualTo(503);
    assertThat(live.getBody())
        .isEqualTo(
            "{\"probe\":\"live\",\"status\":\"DOWN\",\"reasons\":[\"bus 'orders' is closed\"]}");
  }

  /** A GET as the Functions host hands it to the function. */
  private static HttpRequestMessage<Optional<String>> get(String probe) {
    return new HttpRequestMessage<>() {
      @Override
      public URI getUri() {
        return URI.create("http://localhost:7071/api/health/" + probe);
      }

      @Override
      public HttpMethod getHttpMethod() {
        return HttpMethod.GET;
      }

      @Override
      public Map<String, String> getHeaders() {
        return Map.of();
      }

      @Override
      public Map<String, String> getQueryParameters() {
        return Map.of();
      }

      @Override
      public Optional<String> getBody() {
        return Optional.empty();
      }

      @Override
      public HttpResponseMessage.Builder createResponseBuilder(HttpStatus status) {
        return createResponseBuilder((HttpStatusType) status);
      }

      @Override
      public HttpResponseMessage.Builder createResponseBuilder(HttpStatusType status) {
        return new Response(status);
      }
    };
  }

  private static final class Response implements HttpResponseMessage, HttpResponseMessage.Builder {
    private HttpStatusType status;
    private final Map<String, String> headers = new HashMap<>();
    private Object body;

    Response(HttpStatusType status) {
      this.status = status;
    }

    @Override
    public HttpResponseMessage.Builder status(HttpStatusType status) {
      this.status = status;
      return this;
    }

    @Override
    public HttpResponseMessage.Builder header(String key, String value) {
      headers.put(key, value);
      return this;
    }

    @Override
    public HttpResponseMessage.Builder body(Object body) {
      this.body = body;
      return this;
    }

    @Override
    public HttpResponseMessage build() {
      return this;
    }

    @Override
    public HttpStatusType getStatus() {
      return status;
    }

    @Override
    public String getHeader(String key) {
      return headers.get(key);
    }

    @Override
    public Object getBody() {
      return body;
    }
  }
}
