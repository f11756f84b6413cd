package dev.ferry.console;

import dev.ferry.ConfigurationException;
import dev.ferry.MessageBus;
import dev.ferry.config.ConfigKey;
import dev.ferry.config.ConfigOverrides;
import dev.ferry.config.FerryConfig;
import dev.ferry.console.internal.ApiRoutes;
import dev.ferry.console.internal.AuditTrail;
import dev.ferry.console.internal.CsrfGuard;
import dev.ferry.console.internal.DeadLetterOperations;
import dev.ferry.console.internal.EmbeddedServer;
import dev.ferry.console.internal.MemoryAuditTrail;
import dev.ferry.console.internal.PostgresAuditTrail;
import dev.ferry.console.internal.StaticAssets;
import dev.ferry.jdbi.JdbiEnvelopeStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations console of one bus: its dead letters listed, grouped, replayed (also with an
 * edited body) and purged, every change in an audit trail, and the store's gauges.
 *
 * <pre>{@code
 * FerryConsole console = FerryConsole.builder(bus).auditStore(store).build();
 * try (ConsoleServer server = console.serve()) {   // 127.0.0.1, token-protected
 *   System.out.println("Console: " + server.operatorUrl());
 * }
 * }</pre>
 *
 * <p>In a servlet container, {@link #api()} is what the Jakarta REST resource hands requests to,
 * and the container's security decides who may call it.
 */
public final class FerryConsole {
  private static final Logger log = LoggerFactory.getLogger(FerryConsole.class);
  private static final int MEMORY_AUDIT_CAPACITY = 10_000;
  private static final int MIN_TOKEN = 16;

  private final DeadLetterOperations operations;
  private final ConsoleApi api;
  private final FerryConfig config;
  private final StaticAssets assets = new StaticAssets();

  private FerryConsole(Builder b) {
    AuditTrail audit =
        b.auditStore != null
            ? new PostgresAuditTrail(b.auditStore.jdbi(), b.auditStore.schema()).migrate()
            : new MemoryAuditTrail(MEMORY_AUDIT_CAPACITY);
    this.operations = new DeadLetterOperations(b.bus, audit, b.drains, Clock.systemUTC());
    this.api = new ApiRoutes(operations, new CsrfGuard());
    this.config = b.layered();
  }

  public static Builder builder(MessageBus bus) {
    return new Builder(bus);
  }

  /** The REST API, for a host that carries it on its own HTTP server. */
  public ConsoleApi api() {
    return api;
  }

  /**
   * The web UI's file at {@code path} ({@code /}, {@code /app.js}, {@code /app.css}), for a host
   * that serves the console itself; null for any other path. The UI calls the API at {@code api/}
   * relative to its own address.
   */
  public ConsoleApi.Reply page(String path) {
    StaticAssets.Asset a = assets.find(path);
    return a == null ? null : new ConsoleApi.Reply(200, a.contentType(), a.bytes());
  }

  /** The newest audit entries first, at most {@code limit}. */
  public List<AuditEntry> audit(int limit) {
    return operations.audit().recent(limit);
  }

  /**
   * Starts the embedded HTTP server ({@link ConsoleKeys}): bound to 127.0.0.1 unless configured
   * otherwise, and protected by the configured token or a random one. The log shows the address,
   * never the token; {@link ConsoleServer#operatorUrl()} carries it for the host to show.
   */
  public ConsoleServer serve() {
    String token = config.get(ConsoleKeys.TOKEN);
    boolean generated = token == null || token.isBlank();
    if (generated) {
      byte[] random = new byte[24];
      new SecureRandom().nextBytes(random);
      token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    } else if (token.length() < MIN_TOKEN) {
      throw new ConfigurationException(
          ConsoleKeys.TOKEN.name() + " must have at least " + MIN_TOKEN + " characters");
    }
    String operator = config.get(ConsoleKeys.OPERATOR);
    if (operator == null || operator.isBlank()) {
      operator = System.getProperty("user.name", "operator");
    }
    try {
      EmbeddedServer server =
          new EmbeddedServer(
              api,
              assets,
              config.get(ConsoleKeys.BIND_ADDRESS),
              config.get(ConsoleKeys.PORT),
              token,
              operator);
      ConsoleServer handle = new ConsoleServer(server, token);
      log.info(
          "Ferry console at {} ({} token; open ConsoleServer.operatorUrl() to sign in)",
          handle.url(),
          generated ? "generated" : "configured");
      return handle;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the console server: " + e.getMessage(), e);
    }
  }

  /**
   * Configures a {@link FerryConsole}. Values set here win over the {@link #config(FerryConfig)
   * configuration}, which defaults to system properties, environment variables and {@code
   * ferry.properties}.
   */
  public static final class Builder {
    private final MessageBus bus;
    private final ConfigOverrides overrides = new ConfigOverrides();
    private final Map<String, NativeDrain> drains = new LinkedHashMap<>();
    private FerryConfig config;
    private JdbiEnvelopeStore auditStore;

    private Builder(MessageBus bus) {
      this.bus = Objects.requireNonNull(bus, "bus");
    }

    private Builder set(ConfigKey<?> key, Object value) {
      overrides.set(key, value);
      return this;
    }

    /**
     * Keeps the audit trail in this store's database and schema (the bus's store), in a table the
     * console creates when missing. Without it the trail is kept in memory.
     */
    public Builder auditStore(JdbiEnvelopeStore store) {
      this.auditStore = Objects.requireNonNull(store, "store");
      return this;
    }

    /** Offers the operator an action that drains this native dead-letter queue. */
    public Builder nativeDrain(String entity, NativeDrain drain) {
      drains.put(Objects.requireNonNull(entity, "entity"), Objects.requireNonNull(drain, "drain"));
      return this;
    }

    public Builder bindAddress(String address) {
      return set(ConsoleKeys.BIND_ADDRESS, address);
    }

    public Builder port(int port) {
      return set(ConsoleKeys.PORT, port);
    }

    public Builder token(String token) {
      return set(ConsoleKeys.TOKEN, token);
    }

    public Builder operator(String name) {
      return set(ConsoleKeys.OPERATOR, name);
    }

    /** Reads the {@link ConsoleKeys} not set here from this configuration. */
    public Builder config(FerryConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    FerryConfig layered() {
      return overrides.over(config);
    }

    public FerryConsole build() {
      return new FerryConsole(this);
    }
  }
}
