package io.sluice.history.internal;

import io.sluice.history.HistoryConfig;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Brings the history's schema to the version this Sluice knows, with Flyway and the versioned
 * SQL files under {@code io/sluice/history/migration} (one set, portable between SQLite and
 * PostgreSQL). Several processes may do it at once: Flyway locks the schema history.
 */
public final class Migrations {

  /** The latest schema version. */
  public static final String LATEST = "8";

  /** How often a migration that lost a race for a new SQLite file is tried. */
  private static final int BUSY_ATTEMPTS = 20;

  private Migrations() {}

  /** Migrates to the latest version. */
  public static void migrate(HistoryConfig config) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      // Opening sets the new file's journal mode, a write too: it may lose the same race (below).
      try (Connection connection = Connections.open(config)) {
        migrate(config, connection);
        return;
      } catch (SQLException e) {
        retryIfBusy(e, attempt);
      }
    }
  }

  /**
   * Migrates to the latest version, asking {@code connection} (open, in auto-commit) whether that
   * is needed: a history already current costs one query and loads no Flyway class.
   */
  public static void migrate(HistoryConfig config, Connection connection) throws SQLException {
    if (current(connection)) {
      return;
    }
    // Processes opening a new SQLite history at once (a run and the server, two runs) race for its
    // first writes, and SQLite has no lock Flyway can take first: the loser tries again, and
    // usually finds the winner's schema current.
    for (int attempt = 1; !current(connection); attempt++) {
      try {
        WithFlyway.migrate(config, null);
        return;
      } catch (SQLException e) {
        retryIfBusy(e, attempt);
      }
    }
  }

  /** Returns after a pause when {@code e} lost a race for the file and tries are left, else throws it. */
  private static void retryIfBusy(SQLException e, int attempt) throws SQLException {
    if (attempt >= BUSY_ATTEMPTS || !busy(e)) {
      throw e;
    }
    try {
      Thread.sleep(50L * attempt);  // spreads the tries of the processes racing
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw e;
    }
  }

  private static boolean busy(SQLException e) {
    String message = rootMessage(e);
    return message.contains("SQLITE_BUSY") || message.contains("database is locked");
  }

  /**
   * Whether the schema is at the latest version already (or a later one, whose changes add to
   * it): then Flyway, whose first start costs most of a CPU second, is not needed.
   */
  private static boolean current(Connection connection) {
    try (Statement sql = connection.createStatement();
        ResultSet rows = sql.executeQuery("SELECT version FROM sluice_schema_history WHERE success")) {
      int latest = 0;
      while (rows.next()) {
        String version = rows.getString(1);
        if (version != null) {
          latest = Math.max(latest, Integer.parseInt(version));
        }
      }
      return latest >= Integer.parseInt(LATEST);
    } catch (SQLException | NumberFormatException e) {
      return false;  // no schema yet, or one Flyway must look at
    }
  }

  /** Migrates to {@code version} and no further; for tests of upgrades from an older schema. */
  public static void migrateTo(HistoryConfig config, String version) throws SQLException {
    WithFlyway.migrate(config, version);
  }

  /**
   * The calls to Flyway, apart: verifying a class loads the exceptions its handlers catch, so
   * {@code catch (FlywayException e)} in {@link Migrations} itself would load a Flyway class (and
   * open its jar) in every run, a current schema included.
   */
  private static final class WithFlyway {

    /** Migrates to {@code version}, or to the latest when null. */
    static void migrate(HistoryConfig config, String version) throws SQLException {
      MigrationVersion target = version == null ? MigrationVersion.LATEST : MigrationVersion.fromVersion(version);
      try {
        Flyway.configure(Migrations.class.getClassLoader())
            .dataSource(new HistoryDataSource(config))
            .locations("classpath:io/sluice/history/migration")
            .table("sluice_schema_history")
            .target(target)
            .load()
            .migrate();
      } catch (FlywayException e) {
        throw new SQLException("Cannot bring the history at " + config.where() + " to schema version "
            + (version == null ? LATEST : version) + ": " + rootMessage(e), e);
      }
    }
  }

  /** Flyway wraps the driver's error in a page of its own: the driver's first line says it best. */
  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.toString() : root.getMessage();
    return message.lines().findFirst().orElse(message);
  }
}
