package dev.ferry.console.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.console.ConsoleKeys;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The console from a terminal or a script, over the console's REST API:
 *
 * <pre>
 * ferry-console [--url URL] [--token TOKEN] [--json] COMMAND ...
 *   list   [FILTERS] [--limit N]     dead letters, newest first
 *   groups [FILTERS]                 counts by reason and exception
 *   show   ID                        one dead letter: envelope, headers, body, stack trace
 *   replay ID... [--body-file F]     by id (with an edited body: one id)
 *   replay FILTERS | --all           by query
 *   purge  ID... | FILTERS | --all
 *   audit                            who did what, newest first
 * FILTERS: --endpoint E --type T --reason R --exception X --after INSTANT --before INSTANT
 * </pre>
 *
 * <p>The URL defaults to {@code FERRY_CONSOLE_URL}, the token to {@code FERRY_CONSOLE_TOKEN} (an
 * environment variable keeps it out of the process list). Exit codes: {@value #OK} done, {@value
 * #NOTHING} nothing matched, {@value #USAGE} bad usage, {@value #NOT_FOUND} no such dead letter,
 * {@value #REFUSED} refused (bad token, invalid body or filter), {@value #UNAVAILABLE} console
 * unreachable or failing.
 */
public final class ConsoleCli {
  public static final int OK = 0;
  public static final int NOTHING = 1;
  public static final int USAGE = 2;
  public static final int NOT_FOUND = 3;
  public static final int REFUSED = 4;
  public static final int UNAVAILABLE = 5;

  static final String URL_ENV = "FERRY_CONSOLE_URL";

  private static final Map<String, String> FILTER_OPTIONS =
      Map.of(
          "--endpoint", "endpoint",
          "--type", "messageType",
          "--reason", "reason",
          "--exception", "exceptionType",
          "--after", "after",
          "--before", "before",
          "--limit", "limit");

  private final PrintStream out;
  private final PrintStream err;
  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private String url;
  private String token;
  private boolean jsonOutput;
  private String csrf;

  private ConsoleCli(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err, System.getenv()));
  }

  /** Runs one command; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
    return new ConsoleCli(out, err).execute(List.of(args), env);
  }

  private static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /** An answer other than 2xx, mapped to an exit code. */
  private static final class ApiException extends Exception {
    private static final long serialVersionUID = 1L;
    final int exitCode;

    ApiException(int exitCode, String message) {
      super(message);
      this.exitCode = exitCode;
    }
  }

  private int execute(List<String> args, Map<String, String> env) {
    url = env.get(URL_ENV);
    token = env.get(ConsoleKeys.TOKEN.environmentVariable());
    List<String> rest = new ArrayList<>();
    try {
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        switch (a) {
          case "--url" -> url = value(args, ++i, a);
          case "--token" -> token = value(args, ++i, a);
          case "--json" -> jsonOutput = true;
          default -> rest.add(a);
        }
      }
      if (rest.isEmpty()) {
        throw new UsageException("No command: list, groups, show, replay, purge or audit");
      }
      if (url == null || token == null) {
        throw new UsageException(
            "Give the console's --url and --token (or "
                + URL_ENV
                + " and "
                + ConsoleKeys.TOKEN.environmentVariable()
                + ")");
      }
      url = url.endsWith("/") ? url : url + "/";
      String command = rest.get(0);
      List<String> options = rest.subList(1, rest.size());
      return switch (command) {
        case "list" -> list(options);
        case "groups" -> groups(options);
        case "show" -> show(options);
        case "replay" -> change(options, true);
        case "purge" -> change(options, false);
        case "audit" -> audit(options);
        default -> throw new UsageException("Unknown command: " + command);
      };
    } catch (UsageException e) {
      err.println("ferry-console: " + e.getMessage());
      return USAGE;
    } catch (ApiException e) {
      err.println("ferry-console: " + e.getMessage());
      return e.exitCode;
    } catch (IOException e) {
      err.println(
          "ferry-console: cannot reach the console at "
              + url
              + ": "
              + (e instanceof ConnectException ? "connection refused" : e.toString()));
      return UNAVAILABLE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return UNAVAILABLE;
    }
  }

  private static String value(List<String> args, int i, String option) throws UsageException {
    if (i >= args.size()) {
      throw new UsageException(option + " needs a value");
    }
    return args.get(i);
  }

  /** Parsed options: the filter criteria, flags, and the remaining words (ids). */
  private record Options(
      Map<String, String> filter, List<String> words, boolean all, String bodyFile) {}

  private static Options options(List<String> args) throws UsageException {
    Map<String, String> filter = new LinkedHashMap<>();
    List<String> words = new ArrayList<>();
    boolean all = false;
    String bodyFile = null;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (FILTER_OPTIONS.containsKey(a)) {
        filter.put(FILTER_OPTIONS.get(a), value(args, ++i, a));
      } else if (a.equals("--all")) {
        all = true;
      } else if (a.equals("--body-file")) {
        bodyFile = value(args, ++i, a);
      } else if (a.startsWith("--")) {
        throw new UsageException("Unknown option: " + a);
      } else {
        words.add(a);
      }
    }
    return new Options(filter, words, all, bodyFile);
  }

  private int list(List<String> args)
      throws UsageException, ApiException, IOException, InterruptedException {
    Options o = options(args);
    JsonNode r = get("api/dead-letters" + query(o.filter()));
    if (jsonOutput) {
      print(r);
    } else {
      for (JsonNode d : r.get("items")) {
        out.printf(
            "%s  %s  %s  %s  %s  %s%n",
            d.path("id").asText(),
            d.path("deadLetteredAt").asText(),
            d.path("endpoint").asText(),
            d.path("messageType").asText(),
            d.path("reason").asText(),
            d.path("exceptionType").asText("-"));
      }
    }
    return r.get("items").isEmpty() ? NOTHING : OK;
  }

  private int groups(List<String> args)
      throws UsageException, ApiException, IOException, InterruptedException {
    Options o = options(args);
    JsonNode r = get("api/groups" + query(o.filter()));
    if (jsonOutput) {
      print(r);
    } else {
      for (JsonNode g : r.get("groups")) {
        out.printf(
            "%6d  %s  %s%n",
            g.path("count").asInt(),
            g.path("reason").asText(),
            g.path("exceptionType").asText("-"));
      }
    }
    return r.get("groups").isEmpty() ? NOTHING : OK;
  }

  private int show(List<String> args)
      throws UsageException, ApiException, IOException, InterruptedException {
    Options o = options(args);
    if (o.words().size() != 1) {
      throw new UsageException("show takes one dead letter id");
    }
    JsonNode d = get("api/dead-letters/" + encode(o.words().get(0)));
    if (jsonOutput) {
      print(d);
      return OK;
    }
    out.println("id:            " + d.path("id").asText());
    out.println("endpoint:      " + d.path("endpoint").asText());
    out.println("message type:  " + d.path("messageType").asText());
    out.println("reason:        " + d.path("reason").asText());
    out.println("exception:     " + d.path("exceptionType").asText("-"));
    out.println("message:       " + d.path("exceptionMessage").asText(""));
    out.println("attempts:      " + d.path("attempts").asInt());
    out.println("dead-lettered: " + d.path("deadLetteredAt").asText());
    out.println("headers:");
    d.path("headers")
        .properties()
        .forEach(e -> out.println("  " + e.getKey() + ": " + e.getValue().asText()));
    out.println("body (" + d.path("bodyEncoding").asText() + "):");
    out.println(d.path("body").asText());
    out.println("stack trace:");
    out.println(d.path("stackTrace").asText("-"));
    return OK;
  }

  private int change(List<String> args, boolean replay)
      throws UsageException, ApiException, IOException, InterruptedException {
    Options o = options(args);
    String verb = replay ? "replay" : "purge";
    String counted = replay ? "replayed" : "purged";
    ObjectNode body = json.createObjectNode();
    String path;
    if (o.bodyFile() != null) {
      if (!replay || o.words().size() != 1) {
        throw new UsageException("--body-file replays one dead letter id with an edited body");
      }
      body.put("body", Files.readString(Path.of(o.bodyFile()), StandardCharsets.UTF_8));
      path = "api/dead-letters/" + encode(o.words().get(0)) + "/replay";
    } else if (!o.words().isEmpty()) {
      if (!o.filter().isEmpty() || o.all()) {
        throw new UsageException(verb + " takes ids or a filter, not both");
      }
      body.set("ids", json.valueToTree(o.words()));
      path = "api/" + verb;
    } else if (!o.filter().isEmpty() || o.all()) {
      body.set("filter", json.valueToTree(o.filter()));
      body.put("all", o.all());
      path = "api/" + verb;
    } else {
      throw new UsageException(verb + " needs ids, a filter, or --all for every dead letter");
    }
    JsonNode r = post(path, body);
    long n = r.path(counted).asLong();
    if (jsonOutput) {
      print(r);
    } else {
      out.println(counted + " " + n);
    }
    return n == 0 ? NOTHING : OK;
  }

  private int audit(List<String> args)
      throws UsageException, ApiException, IOException, InterruptedException {
    options(args);
    JsonNode r = get("api/audit");
    if (jsonOutput) {
      print(r);
    } else {
      for (JsonNode e : r.get("entries")) {
        out.printf(
            "%s  %s  %s  %s  -> %s%n",
            e.path("at").asText(),
            e.path("operator").asText(),
            e.path("action").asText(),
            e.path("target").asText(),
            e.path("result").asText());
      }
    }
    return OK;
  }

  private JsonNode get(String path)
      throws UsageException, ApiException, IOException, InterruptedException {
    return send(request(path).GET().build());
  }

  private JsonNode post(String path, JsonNode body)
      throws UsageException, ApiException, IOException, InterruptedException {
    if (csrf == null) {
      csrf = get("api/session").path("csrfToken").asText();
    }
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .header("X-Ferry-Csrf", csrf)
            .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
            .build());
  }

  private HttpRequest.Builder request(String path) throws UsageException {
    try {
      return HttpRequest.newBuilder(URI.create(url).resolve(path))
          .timeout(Duration.ofSeconds(30))
          .header("Accept", "application/json")
          .header("Authorization", "Bearer " + token);
    } catch (IllegalArgumentException e) {
      throw new UsageException("Not a URL: " + url);
    }
  }

  private JsonNode send(HttpRequest request)
      throws UsageException, ApiException, IOException, InterruptedException {
    HttpResponse<byte[]> res = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    JsonNode body;
    try {
      body = json.readTree(res.body());
    } catch (IOException e) {
      throw new ApiException(UNAVAILABLE, "Not a console answer (HTTP " + res.statusCode() + ")");
    }
    int status = res.statusCode();
    if (status >= 200 && status < 300) {
      return body;
    }
    String message = body == null ? "HTTP " + status : body.path("error").asText("HTTP " + status);
    int code =
        switch (status) {
          case 404 -> NOT_FOUND;
          case 400, 401, 403 -> REFUSED;
          default -> UNAVAILABLE;
        };
    throw new ApiException(code, message + " (HTTP " + status + ")");
  }

  private void print(JsonNode node) throws IOException {
    out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(node));
  }

  private static String query(Map<String, String> filter) {
    if (filter.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    filter.forEach(
        (k, v) -> sb.append(sb.length() == 0 ? '?' : '&').append(k).append('=').append(encode(v)));
    return sb.toString();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
