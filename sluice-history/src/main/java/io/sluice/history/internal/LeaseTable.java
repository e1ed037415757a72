package io.sluice.history.internal;

import io.sluice.history.LeaseHolder;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The statements of the {@code task_leases} table (schema V3), each one round trip in autocommit;
 * claims, heartbeats and releases take many tasks at once.
 * Times are milliseconds since the epoch; a lease is free when its {@code expires_at} has passed
 * (a release sets it to 0). Every take increments the task's epoch: the fence.
 */
public final class LeaseTable {

  // One statement for a batch of tasks, in task order: concurrent batches of two processes lock
  // the rows they share in the same order, so they queue rather than deadlock.
  private static final String CLAIM_ALL = "INSERT INTO task_leases AS l (task_id, owner_run, host, pid, epoch,"
      + " heartbeat_at, expires_at) SELECT t.task_id, ?, ?, ?, 1, ?, ? FROM unnest(?::text[]) AS t(task_id)"
      + " ORDER BY t.task_id ON CONFLICT (task_id) DO UPDATE SET"
      + " owner_run = EXCLUDED.owner_run, host = EXCLUDED.host, pid = EXCLUDED.pid, epoch = l.epoch + 1,"
      + " heartbeat_at = EXCLUDED.heartbeat_at, expires_at = EXCLUDED.expires_at"
      // Free, or ours already: a claim whose answer was lost to a broken connection is retried.
      + " WHERE l.expires_at <= EXCLUDED.heartbeat_at"
      + " OR (l.owner_run = EXCLUDED.owner_run AND l.host = EXCLUDED.host AND l.pid = EXCLUDED.pid)"
      + " RETURNING l.task_id, l.epoch";
  private static final String RENEW = "UPDATE task_leases SET heartbeat_at = ?, expires_at = ?"
      + " WHERE task_id = ? AND epoch = ?";
  // By epoch, not by owner: a lease taken over (and a task reclaimed by this very process at a
  // later epoch) is not extended, and the rows returned say exactly which leases were.
  private static final String HEARTBEAT_ALL = "UPDATE task_leases AS l SET heartbeat_at = ?, expires_at = ?"
      + " FROM unnest(?::text[], ?::bigint[]) AS h(task_id, epoch)"
      + " WHERE l.task_id = h.task_id AND l.epoch = h.epoch AND l.expires_at > 0 RETURNING l.task_id, l.epoch";
  private static final String RELEASE_ALL = "UPDATE task_leases SET expires_at = 0 FROM unnest(?::text[], ?::bigint[])"
      + " AS r(task_id, epoch) WHERE task_leases.task_id = r.task_id AND task_leases.epoch = r.epoch";
  private static final String OWNER = "SELECT owner_run, host, pid, epoch, expires_at FROM task_leases WHERE task_id = ?";

  private LeaseTable() {}

  /**
   * Takes the leases of {@code tasks} (distinct) that are free or already ours, in one statement;
   * returns the epoch of each lease taken, keyed by task. Those another holds are absent.
   */
  public static Map<String, Long> claimAll(Connection connection, Collection<String> tasks, LeaseHolder holder,
      long now, long expiresAt) throws SQLException {
    Array ids = connection.createArrayOf("text", tasks.toArray());
    try (PreparedStatement claim = connection.prepareStatement(CLAIM_ALL)) {
      claim.setString(1, holder.runId());
      claim.setString(2, holder.host());
      claim.setLong(3, holder.pid());
      claim.setLong(4, now);
      claim.setLong(5, expiresAt);
      claim.setArray(6, ids);
      return epochs(claim);
    } finally {
      ids.free();
    }
  }

  /** Extends the lease of this epoch; false when the epoch has moved on (taken over). */
  public static boolean renew(Connection connection, String task, long epoch, long now, long expiresAt)
      throws SQLException {
    try (PreparedStatement renew = connection.prepareStatement(RENEW)) {
      renew.setLong(1, now);
      renew.setLong(2, expiresAt);
      renew.setString(3, task);
      renew.setLong(4, epoch);
      return renew.executeUpdate() == 1;
    }
  }

  /**
   * Extends the leases of these tasks at these epochs, in one statement; returns the epoch of each
   * lease extended, keyed by task (a lease taken over or released since is absent).
   */
  public static Map<String, Long> heartbeatAll(Connection connection, List<String> tasks, List<Long> epochs, long now,
      long expiresAt) throws SQLException {
    Array ids = connection.createArrayOf("text", tasks.toArray());
    Array numbers = connection.createArrayOf("bigint", epochs.toArray());
    try (PreparedStatement beat = connection.prepareStatement(HEARTBEAT_ALL)) {
      beat.setLong(1, now);
      beat.setLong(2, expiresAt);
      beat.setArray(3, ids);
      beat.setArray(4, numbers);
      return epochs(beat);
    } finally {
      ids.free();
      numbers.free();
    }
  }

  private static Map<String, Long> epochs(PreparedStatement statement) throws SQLException {
    Map<String, Long> epochs = new HashMap<>();
    try (ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        epochs.put(rows.getString(1), rows.getLong(2));
      }
    }
    return epochs;
  }

  /** Ends the leases of these tasks at these epochs, in one statement. */
  public static void releaseAll(Connection connection, List<String> tasks, List<Long> epochs) throws SQLException {
    Array ids = connection.createArrayOf("text", tasks.toArray());
    Array numbers = connection.createArrayOf("bigint", epochs.toArray());
    try (PreparedStatement release = connection.prepareStatement(RELEASE_ALL)) {
      release.setArray(1, ids);
      release.setArray(2, numbers);
      release.executeUpdate();
    } finally {
      ids.free();
      numbers.free();
    }
  }

  /** Who holds the task's lease now, and its epoch, for messages. */
  public static String describeOwner(Connection connection, String task, long now) throws SQLException {
    try (PreparedStatement owner = connection.prepareStatement(OWNER)) {
      owner.setString(1, task);
      try (ResultSet rows = owner.executeQuery()) {
        if (!rows.next()) {
          return "nobody (its lease row is gone)";
        }
        LeaseHolder holder = new LeaseHolder(rows.getString(1), rows.getString(2), rows.getLong(3));
        long expires = rows.getLong(5);
        return holder + " at epoch " + rows.getLong(4) + (expires > now ? "" : ", since released or expired");
      }
    }
  }
}
