package dev.ferry.it.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** What a suite's database holds, read from the test JVM with plain JDBC. */
public final class Db {
  private final String name;

  public Db(String name) {
    this.name = name;
  }

  /** Rows of a sample table ({@code invoices}, {@code emails}, {@code shipments}) for an order. */
  public long rows(String table, UUID orderId) {
    String column = table.equals("orders") ? "id" : "order_id";
    return count("select count(*) from " + table + " where " + column + " = ?", orderId);
  }

  public long count(String sql, Object... args) {
    try (Connection c = PostgresLauncher.connect(name);
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  public List<String> strings(String sql, Object... args) {
    try (Connection c = PostgresLauncher.connect(name);
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      List<String> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  /** Messages waiting in Ferry's outbox (not yet handed to the broker). */
  public long outgoing() {
    return count("select count(*) from " + PostgresLauncher.store(name) + ".outgoing");
  }

  /** Outbox rows whose body mentions the text (an order id): not yet sent, since sent rows go. */
  public long outgoingMentioning(String text) {
    return count(
        "select count(*) from "
            + PostgresLauncher.store(name)
            + ".outgoing where convert_from(body, 'UTF8') like ?",
        "%" + text + "%");
  }

  public long deadLettersMentioning(String text) {
    return count(
        "select count(*) from "
            + PostgresLauncher.store(name)
            + ".dead_letters where convert_from(body, 'UTF8') like ?",
        "%" + text + "%");
  }
}
