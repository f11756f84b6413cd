package dev.ferry.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.DeadLetter;
import dev.ferry.DeadLetterQuery;
import dev.ferry.console.cli.ConsoleCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI against a running console: commands, JSON output and exit codes. */
class ConsoleCliTest {
  private ShopService shop;
  private ConsoleServer server;
  private Map<String, String> env;

  @BeforeEach
  void start() {
    shop = new ShopService().withDeadLetters();
    server = FerryConsole.builder(shop.bus).operator("bob").build().serve();
    env = Map.of("FERRY_CONSOLE_URL", server.url(), "FERRY_CONSOLE_TOKEN", server.token());
  }

  @AfterEach
  void stop() {
    server.close();
    shop.close();
  }

  record Run(int exit, String out, String err) {
    JsonNode json() throws Exception {
      return ConsoleHttp.JSON.readTree(out);
    }
  }

  private Run cli(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        ConsoleCli.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            env);
    return new Run(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private Run cli(String... args) {
    return cli(env, args);
  }

  private List<String> shipIds() {
    List<String> ids = new ArrayList<>();
    for (DeadLetter d :
        shop.bus.deadLetters().list(DeadLetterQuery.all().messageType(ShopService.SHIP_TYPE))) {
      ids.add(d.id());
    }
    return ids;
  }

  @Test
  void listsAsJsonAndAsTextWithFilters() throws Exception {
    Run all = cli("--json", "list");
    assertThat(all.exit()).isEqualTo(ConsoleCli.OK);
    assertThat(all.json().get("items")).hasSize(5);

    Run charges = cli("list", "--exception", "java.lang.IllegalArgumentException");
    assertThat(charges.exit()).isZero();
    assertThat(charges.out().lines()).hasSize(2).allMatch(l -> l.contains(ShopService.CHARGE_TYPE));

    assertThat(cli("list", "--reason", "expired").exit()).isEqualTo(ConsoleCli.NOTHING);
    Run groups = cli("--json", "groups");
    assertThat(groups.json().get("groups")).hasSize(2);
  }

  @Test
  void showsOneAndSaysWhenItDoesNotExist() throws Exception {
    String id = shipIds().get(0);
    Run show = cli("show", id);
    assertThat(show.exit()).isZero();
    assertThat(show.out())
        .contains(id)
        .contains("warehouse rejected quantity")
        .contains("body (utf-8)");
    assertThat(cli("--json", "show", id).json().get("envelope").get("messageType").asText())
        .isEqualTo(ShopService.SHIP_TYPE);

    Run missing = cli("show", "no-such-id");
    assertThat(missing.exit()).isEqualTo(ConsoleCli.NOT_FOUND);
    assertThat(missing.err()).contains("No dead letter no-such-id");
  }

  @Test
  void replaysByIdWithAnEditedBodyAndPurgesByQuery(@TempDir Path dir) throws Exception {
    String id = shipIds().get(0);
    Path bad = Files.writeString(dir.resolve("bad.json"), "{\"quantity\": \"lots\"}");
    Run refused = cli("replay", id, "--body-file", bad.toString());
    assertThat(refused.exit()).isEqualTo(ConsoleCli.REFUSED);
    assertThat(refused.err()).contains("not a valid " + ShopService.SHIP_TYPE);

    Path good =
        Files.writeString(dir.resolve("good.json"), "{\"orderId\":\"o-cli\",\"quantity\":3}");
    assertThat(cli("replay", id, "--body-file", good.toString()).exit()).isZero();
    await().atMost(Duration.ofSeconds(10)).until(() -> shop.shipped.contains("o-cli"));

    assertThat(cli("purge").exit()).isEqualTo(ConsoleCli.USAGE);
    Run purged = cli("--json", "purge", "--type", ShopService.CHARGE_TYPE);
    assertThat(purged.exit()).isZero();
    assertThat(purged.json().get("purged").asInt()).isEqualTo(2);
    assertThat(cli("purge", "--type", ShopService.CHARGE_TYPE).exit())
        .isEqualTo(ConsoleCli.NOTHING);

    List<String> rest = shipIds();
    Run replayed = cli("replay", rest.get(0), rest.get(1));
    assertThat(replayed.out().trim()).isEqualTo("replayed 2");
    shop.awaitDeadLetters(2);
    assertThat(cli("purge", "--all").out().trim()).isEqualTo("purged 2");

    JsonNode audit = cli("--json", "audit").json().get("entries");
    assertThat(audit).hasSize(6);
    assertThat(audit.get(0).get("operator").asText()).isEqualTo("bob (cli)");
    assertThat(audit.get(0).get("action").asText()).isEqualTo("purge");
  }

  @Test
  void refusesABadTokenAndReportsAnUnreachableConsole() throws Exception {
    Run wrong = cli(Map.of("FERRY_CONSOLE_URL", server.url()), "--token", "wrong", "list");
    assertThat(wrong.exit()).isEqualTo(ConsoleCli.REFUSED);
    assertThat(cli(Map.of(), "list").exit()).isEqualTo(ConsoleCli.USAGE);
    assertThat(cli("frobnicate").exit()).isEqualTo(ConsoleCli.USAGE);

    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Run down =
        cli(Map.of(), "--url", "http://127.0.0.1:" + closedPort + "/", "--token", "x", "list");
    assertThat(down.exit()).isEqualTo(ConsoleCli.UNAVAILABLE);
    assertThat(down.err()).contains("cannot reach the console");
  }
}
