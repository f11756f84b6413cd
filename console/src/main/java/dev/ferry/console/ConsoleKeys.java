package dev.ferry.console;

import static dev.ferry.config.ConfigKey.Type.INT;
import static dev.ferry.config.ConfigKey.Type.STRING;

import dev.ferry.config.ConfigKey;
import java.util.List;

/**
 * The configuration keys of the console's embedded server, declared once. Each names the {@link
 * FerryConsole.Builder} method that sets the same value in code.
 */
public final class ConsoleKeys {
  private ConsoleKeys() {}

  public static final ConfigKey<String> BIND_ADDRESS =
      ConfigKey.of(
          "ferry.console.bind-address",
          STRING,
          "127.0.0.1",
          "Address the embedded console server listens on. The default takes connections from"
              + " this machine only; bind wider only behind TLS.",
          "bindAddress");

  public static final ConfigKey<Integer> PORT =
      ConfigKey.of(
          "ferry.console.port",
          INT,
          "0",
          "Port of the embedded console server; 0 takes a free one (its address is logged).",
          "port");

  public static final ConfigKey<String> TOKEN =
      ConfigKey.secret(
          "ferry.console.token",
          "Access token of the embedded console server (at least 16 characters). Default: a random"
              + " one per start, shown only in the operator link the process prints.",
          "token");

  public static final ConfigKey<String> OPERATOR =
      ConfigKey.of(
          "ferry.console.operator",
          STRING,
          null,
          "Name the audit trail records for actions through the embedded server's token. Default:"
              + " the operating-system user running the process.",
          "operator");

  /** Every key of the console, in reference order. */
  public static List<ConfigKey<?>> all() {
    return List.of(BIND_ADDRESS, PORT, TOKEN, OPERATOR);
  }
}
