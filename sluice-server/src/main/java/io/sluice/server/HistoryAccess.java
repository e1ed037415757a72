package io.sluice.server;

import io.sluice.history.HistoryConfig;
import io.sluice.history.HistoryDatabase;
import java.sql.SQLException;

/**
 * The server's one connection to the history, used by one request at a time (a JDBC connection
 * is not shared by threads). A failed query drops the connection, so the next request opens a
 * new one: the server outlives a PostgreSQL restart.
 */
final class HistoryAccess implements AutoCloseable {

  /** A query on the open history. */
  @FunctionalInterface
  interface Query<T> {
    T on(HistoryDatabase history) throws SQLException;
  }

  private final HistoryConfig config;
  private HistoryDatabase database;

  HistoryAccess(HistoryConfig config) {
    this.config = config;
  }

  /** Opens the history now, so that a wrong URL is told at start rather than at the first page. */
  synchronized void open() throws SQLException {
    if (database == null) {
      database = HistoryDatabase.open(config);
    }
  }

  synchronized <T> T read(Query<T> query) throws SQLException {
    open();
    try {
      return query.on(database);
    } catch (SQLException e) {
      closeQuietly();
      throw new SQLException("Cannot read the run history at " + config.where() + ": " + e.getMessage(), e);
    }
  }

  String where() {
    return config.where();
  }

  @Override
  public synchronized void close() {
    closeQuietly();
  }

  private void closeQuietly() {
    if (database != null) {
      try {
        database.close();
      } catch (SQLException ignored) {
        // closing a broken connection: nothing more to do
      }
      database = null;
    }
  }
}
