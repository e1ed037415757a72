package io.sluice.history.internal;

import io.sluice.history.HistoryConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Idle connections to the history, shared by the threads of one process: a thread borrows one
 * for a statement and gives it back, or discards it after an error (the database may have
 * restarted under it), so the next borrow opens a fresh one.
 */
public final class ConnectionPool implements AutoCloseable {

  private final HistoryConfig config;
  private final ConcurrentLinkedQueue<Connection> idle = new ConcurrentLinkedQueue<>();
  private volatile boolean closed;

  public ConnectionPool(HistoryConfig config) {
    this.config = config;
  }

  /** An idle connection, or a new one. */
  public Connection borrow() throws SQLException {
    Connection connection = idle.poll();
    return connection != null ? connection : Connections.open(config);
  }

  /** Gives back a connection that worked. */
  public void giveBack(Connection connection) {
    idle.add(connection);
    if (closed) {
      close();
    }
  }

  /** Closes a connection that failed. */
  public static void discard(Connection connection) {
    try {
      connection.close();
    } catch (SQLException | RuntimeException ignored) {
      // it is broken already
    }
  }

  @Override
  public void close() {
    closed = true;
    Connection connection;
    while ((connection = idle.poll()) != null) {
      discard(connection);
    }
  }
}
