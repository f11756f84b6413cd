package dev.ferry.jdbi.internal;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.regex.Pattern;

/** The pool the store creates when it is given only a JDBC URL, and how URLs are logged. */
public final class ConnectionPools {
  private static final Pattern USER_INFO = Pattern.compile("//[^/@?]*@");

  private ConnectionPools() {}

  /**
   * A HikariCP pool that connects on first use (so building a store never blocks), keeps at most
   * {@code size} connections and fails a request for one after {@code connectionTimeout}.
   */
  public static HikariDataSource hikari(
      String jdbcUrl,
      String username,
      String password,
      int size,
      Duration connectionTimeout,
      String name) {
    HikariDataSource ds = new HikariDataSource();
    ds.setPoolName(name);
    ds.setJdbcUrl(jdbcUrl);
    if (username != null) {
      ds.setUsername(username);
    }
    if (password != null) {
      ds.setPassword(password);
    }
    ds.setMaximumPoolSize(size);
    ds.setMinimumIdle(Math.min(2, size));
    ds.setConnectionTimeout(Math.max(250, connectionTimeout.toMillis()));
    ds.setValidationTimeout(Math.max(250, Math.min(5000, connectionTimeout.toMillis())));
    return ds;
  }

  /**
   * The URL without anything that may carry a secret: the query string (where {@code user} and
   * {@code password} may be) and any user info before the host.
   */
  public static String redact(String jdbcUrl) {
    if (jdbcUrl == null) {
      return null;
    }
    int query = jdbcUrl.indexOf('?');
    String base = query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    base = USER_INFO.matcher(base).replaceFirst("//");
    return query < 0 ? base : base + "?...";
  }
}
