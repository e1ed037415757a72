package io.sluice.history.internal;

import io.sluice.history.HistoryConfig;
import java.sql.SQLException;
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
  public static final String LATEST = "2";

  private Migrations() {}

  /** Migrates to the latest version. */
  public static void migrate(HistoryConfig config) throws SQLException {
    migrate(config, MigrationVersion.LATEST);
  }

  /** Migrates to {@code version} and no further; for tests of upgrades from an older schema. */
  public static void migrateTo(HistoryConfig config, String version) throws SQLException {
    migrate(config, MigrationVersion.fromVersion(version));
  }

  private static void migrate(HistoryConfig config, MigrationVersion target) throws SQLException {
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
          + (target == MigrationVersion.LATEST ? LATEST : target) + ": " + rootMessage(e), e);
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
