package dev.ferry.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A real server, reached over JDBC; tests keep apart in schemas of their own. */
@ExtendWith(PostgresExtension.class)
class PostgresExtensionTest {

  @Test
  void theDatabaseAnswersAndSchemasAreNew(PostgresDatabase db) throws Exception {
    assertThat(db).isSameAs(PostgresExtension.database());
    String a = db.newSchema();
    String b = db.newSchema();
    assertThat(a).isNotEqualTo(b);
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA \"" + a + "\"");
      st.execute("CREATE TABLE \"" + a + "\".t (n int)");
      st.execute("INSERT INTO \"" + a + "\".t VALUES (42)");
      try (ResultSet rs = st.executeQuery("SELECT n FROM \"" + a + "\".t")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(42);
      }
    }
    int one = db.jdbi().withHandle(h -> h.select("SELECT 1").mapTo(Integer.class).one());
    assertThat(one).isEqualTo(1);

    db.dropSchema(a);

    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      assertThatThrownBy(() -> st.executeQuery("SELECT n FROM \"" + a + "\".t"))
          .isInstanceOf(SQLException.class);
    }
  }
}
