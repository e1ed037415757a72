package io.sluice.history.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.history.HistoryConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionsTest {

  @Test
  void aSqliteHistoryIsWrittenAheadAndKeepsItsStatementJournalsInMemoryNotInTemporaryFiles(@TempDir Path dir)
      throws Exception {
    try (Connection connection = Connections.open(HistoryConfig.sqlite(dir.resolve("state")));
        Statement sql = connection.createStatement()) {
      assertThat(pragma(sql, "journal_mode")).isEqualTo("wal");
      assertThat(pragma(sql, "temp_store")).isEqualTo("2");  // MEMORY
      assertThat(pragma(sql, "busy_timeout")).isEqualTo("10000");
    }
  }

  private static String pragma(Statement sql, String name) throws Exception {
    try (ResultSet result = sql.executeQuery("PRAGMA " + name)) {
      assertThat(result.next()).isTrue();
      return result.getString(1);
    }
  }
}
