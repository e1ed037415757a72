package io.sluice.history.internal;

import io.sluice.history.HistoryConfig;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/** The history's connections as a {@link DataSource}, for Flyway: the same settings as every other connection. */
final class HistoryDataSource implements DataSource {

  private final HistoryConfig config;

  HistoryDataSource(HistoryConfig config) {
    this.config = config;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return Connections.open(config);
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return Connections.open(new HistoryConfig(config.url(), username, password));
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {}

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("no java.util.logging here");
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new SQLException("not a wrapper of " + type.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return type.isInstance(this);
  }
}
