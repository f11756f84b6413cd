package dev.ferry.it.topology;

import dev.ferry.it.support.PostgresLauncher;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * The business effect of a handled message: a row per handling, written by the handler through its
 * unit of work's handle, so that the row commits with the inbox record or not at all. With no
 * unique key on purpose: a message whose effect happened twice shows as two rows.
 */
final class Effects {
  // record() runs in worker processes too: it touches only the handle, never PostgresLauncher.
  private final String suite;
  private final String table;

  Effects(String suite) {
    this.suite = suite;
    this.table = PostgresLauncher.tables(suite) + ".effects";
  }

  void create() throws SQLException {
    try (Connection c = PostgresLauncher.connect(suite);
        Statement st = c.createStatement()) {
      st.execute("drop table if exists " + table);
      st.execute(
          "create table "
              + table
              + " (kind text not null, key text not null, node text not null,"
              + " at timestamptz not null default clock_timestamp())");
    }
  }

  void record(Handle handle, String kind, String key, String node) {
    handle.execute("insert into " + table + " (kind, key, node) values (?, ?, ?)", kind, key, node);
  }

  long distinct(String kind) {
    return number("select count(distinct key) from " + table + " where kind = '" + kind + "'");
  }

  long rows(String kind) {
    return number("select count(*) from " + table + " where kind = '" + kind + "'");
  }

  /** Distinct keys handled per node, for how the competing consumers shared the work. */
  Map<String, Long> perNode(String kind) {
    Map<String, Long> out = new LinkedHashMap<>();
    try (Connection c = PostgresLauncher.connect(suite);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "select node, count(*) from "
                    + table
                    + " where kind = '"
                    + kind
                    + "' group by node order by node")) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getLong(2));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  /** The longest time between two consecutive effects: how long nothing was handled. */
  Duration longestGap(String kind) {
    long micros =
        number(
            "select coalesce(max(gap), 0) from (select (extract(epoch from at - lag(at) over"
                + " (order by at)) * 1000000)::bigint as gap from "
                + table
                + " where kind = '"
                + kind
                + "') g");
    return Duration.ofNanos(micros * 1000);
  }

  private long number(String sql) {
    try (Connection c = PostgresLauncher.connect(suite);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }
}
