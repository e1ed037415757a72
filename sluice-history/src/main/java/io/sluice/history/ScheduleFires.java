package io.sluice.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The record of what the server's schedules did ({@link ScheduleFire}s), over a {@link HistoryDatabase}'s
 * connection: written by the server when a schedule fires, read by its pages and at its start (catch-up).
 */
public final class ScheduleFires {

  private static final String COLUMNS = "schedule_name, due_at, fired_at, reason, outcome, host, pid, run_id, log_file, message";

  private final Connection connection;

  ScheduleFires(Connection connection) {
    this.connection = connection;
  }

  /** Records a fire. */
  public void record(ScheduleFire fire) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO schedule_fires (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, fire.schedule());
      insert.setLong(2, fire.dueAt().toEpochMilli());
      insert.setLong(3, fire.firedAt().toEpochMilli());
      insert.setString(4, fire.reason());
      insert.setString(5, fire.outcome());
      insert.setString(6, fire.host());
      if (fire.pid() == null) {
        insert.setNull(7, Types.BIGINT);
      } else {
        insert.setLong(7, fire.pid());
      }
      insert.setString(8, fire.runId());
      insert.setString(9, fire.logFile());
      insert.setString(10, fire.message());
      insert.executeUpdate();
    }
  }

  /**
   * The last {@code limit} fires of a schedule, newest first: those that started a run or failed to, or
   * (with {@code skipped}) those skipped because a run was going, which a slow run can make many of.
   */
  public List<ScheduleFire> recent(String schedule, boolean skipped, int limit) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS + " FROM schedule_fires"
        + " WHERE schedule_name = ? AND outcome " + (skipped ? "=" : "<>") + " 'skipped'"
        + " ORDER BY fired_at DESC LIMIT ?")) {
      query.setString(1, schedule);
      query.setInt(2, limit);
      List<ScheduleFire> fires = new ArrayList<>();
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          long pid = rows.getLong(7);
          Long pidOrNull = rows.wasNull() ? null : pid;
          fires.add(new ScheduleFire(rows.getString(1), Instant.ofEpochMilli(rows.getLong(2)),
              Instant.ofEpochMilli(rows.getLong(3)), rows.getString(4), rows.getString(5), rows.getString(6),
              pidOrNull, rows.getString(8), rows.getString(9), rows.getString(10)));
        }
      }
      return fires;
    }
  }

  /** The latest cron time a schedule was fired for (by cron or catch-up, not by hand), if ever. */
  public Optional<Instant> lastDue(String schedule) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement("SELECT MAX(due_at) FROM schedule_fires"
        + " WHERE schedule_name = ? AND reason <> 'manual'")) {
      query.setString(1, schedule);
      try (ResultSet rows = query.executeQuery()) {
        long due = rows.next() ? rows.getLong(1) : 0;
        return rows.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(due));
      }
    }
  }
}
