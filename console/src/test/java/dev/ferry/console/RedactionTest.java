package dev.ferry.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.console.internal.Redaction;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the console never shows: credential headers and credential pairs inside texts. */
class RedactionTest {

  @Test
  void masksCredentialHeadersAndKeepsTheRest() {
    Map<String, String> shown =
        Redaction.headers(
            Map.of(
                "Authorization", "Bearer abc",
                "x-api-key", "k",
                "db-password", "p",
                "ferry-replay", "2",
                "x-note", "hello"));
    assertThat(shown)
        .containsEntry("Authorization", Redaction.MASK)
        .containsEntry("x-api-key", Redaction.MASK)
        .containsEntry("db-password", Redaction.MASK)
        .containsEntry("ferry-replay", "2")
        .containsEntry("x-note", "hello");
  }

  @Test
  void masksCredentialPairsInExceptionMessages() {
    String text =
        Redaction.text(
            "Cannot connect: Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=send;"
                + "SharedAccessKey=Zm9vYmFy== and jdbc user=app password=hunter2");
    assertThat(text)
        .doesNotContain("Zm9vYmFy")
        .doesNotContain("hunter2")
        .contains("SharedAccessKeyName=send")
        .contains("SharedAccessKey=[redacted]")
        .contains("password=[redacted]");
  }
}
