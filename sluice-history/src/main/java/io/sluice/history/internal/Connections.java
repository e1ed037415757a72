package io.sluice.history.internal;

import io.sluice.history.HistoryConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Opens connections to the history. The drivers are called directly rather than through
 * {@code DriverManager}, which does not see drivers of a class loader other than its caller's.
 */
public final class Connections {

  /** How long a SQLite writer waits for another process's write to finish before giving up. */
  private static final String SQLITE_BUSY_TIMEOUT_MS = "10000";

  private Connections() {}

  /** A new connection; the SQLite file's directory is created when missing. */
  public static Connection open(HistoryConfig config) throws SQLException {
    Properties properties = new Properties();
    Driver driver;
    if (config.sqlite()) {
      createDirectory(config);
      SqliteNativeLibrary.loadKeepingACopyIn(SqliteNativeLibrary.userCache());
      // WAL: readers (sluice runs) never block the writer of a running pipeline, nor it them.
      properties.setProperty("journal_mode", "WAL");
      properties.setProperty("synchronous", "NORMAL");
      properties.setProperty("busy_timeout", SQLITE_BUSY_TIMEOUT_MS);
      // Statement journals (a multi-row upsert keeps one, to undo that statement alone) and
      // temporary tables in memory, not in files under /var/tmp written for every batch.
      properties.setProperty("temp_store", "MEMORY");
      driver = new org.sqlite.JDBC();
    } else {
      if (config.user() != null) {
        properties.setProperty("user", config.user());
      }
      if (config.password() != null) {
        properties.setProperty("password", config.password());
      }
      // A database that does not answer must not hold a run's end for long.
      properties.setProperty("connectTimeout", "5");
      properties.setProperty("socketTimeout", "30");
      properties.setProperty("ApplicationName", "sluice");
      // A batch of rows goes as a few multi-row INSERTs instead of one statement per row.
      properties.setProperty("reWriteBatchedInserts", "true");
      driver = new org.postgresql.Driver();
    }
    Connection connection = driver.connect(config.url(), properties);
    if (connection == null) {
      throw new SQLException("No driver accepts the history URL " + config.where());
    }
    return connection;
  }

  /**
   * Whether {@code e} says that the SQLite file is not a database, or a damaged one: no wait
   * mends it. (A file that cannot be made may yet be, when its directory comes: that is waited for.)
   */
  public static boolean notADatabase(HistoryConfig config, Throwable e) {
    if (!config.url().startsWith("jdbc:sqlite:")) {
      return false;
    }
    for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      // SQLite's result codes: SQLITE_CORRUPT, SQLITE_NOTADB.
      if (cause instanceof SQLException sql && (sql.getErrorCode() == 11 || sql.getErrorCode() == 26)) {
        return true;
      }
    }
    return false;
  }

  private static void createDirectory(HistoryConfig config) throws SQLException {
    String file = config.url().substring("jdbc:sqlite:".length());
    int query = file.indexOf('?');
    if (query >= 0) {
      file = file.substring(0, query);
    }
    if (file.isEmpty() || file.equals(":memory:") || file.startsWith("file:")) {
      return;
    }
    Path parent = Path.of(file).toAbsolutePath().getParent();
    try {
      Files.createDirectories(parent);
    } catch (IOException e) {
      throw new SQLException("Cannot create the directory " + parent + " of the history file: " + e, e);
    }
  }
}
