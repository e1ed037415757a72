package io.sluice.history.internal;

import io.sluice.history.LeaseHolder;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;

/**
 * The statements of the {@code task_leases} table (schema V3), each one round trip in autocommit.
 * Times are milliseconds since the epoch; a lease is free when its {@code expires_at} has passed
 * (a release sets it to 0). Every take increments the task's epoch: the fence.
 */
public final class LeaseTable {

  private static final String CLAIM = "INSERT INTO task_leases AS l (task_id, owner_run, host, pid, epoch,"
      + " heartbeat_at, expires_at) VALUES (?, ?, ?, ?, 1, ?, ?) ON CONFLICT (task_id) DO UPDATE SET"
      + " owner_run = EXCLUDED.owner_run, host = EXCLUDED.host, pid = EXCLUDED.pid, epoch = l.epoch + 1,"
      + " heartbeat_at = EXCLUDED.heartbeat_at, expires_at = EXCLUDED.expires_at"
      // Free, or ours already: a claim whose answer was lost to a broken connection is retried.
      + " WHERE l.expires_at <= EXCLUDED.heartbeat_at"
      + " OR (l.owner_run = EXCLUDED.owner_run AND l.host = EXCLUDED.host AND l.pid = EXCLUDED.pid)"
      + " RETURNING l.epoch";
  private static final String RENEW = "UPDATE task_leases SET heartbeat_at = ?, expires_at = ?"
      + " WHERE task_id = ? AND epoch = ?";
  private static final String HEARTBEAT = "UPDATE task_leases SET heartbeat_at = ?, expires_at = ?"
      + " WHERE task_id = ANY (?) AND owner_run = ? AND host = ? AND pid = ? AND expires_at > 0";
  private static final String RELEASE_ALL = "UPDATE task_leases SET expires_at = 0 FROM unnest(?::text[], ?::bigint[])"
      + " AS r(task_id, epoch) WHERE task_leases.task_id = r.task_id AND task_leases.epoch = r.epoch";
  private static final String OWNER = "SELECT owner_run, host, pid, epoch, expires_at FROM task_leases WHERE task_id = ?";

  private LeaseTable() {}

  /** Takes the lease when it is free or already ours; returns its epoch, or null when another holds it. */
  public static Long claim(Connection connection, String task, LeaseHolder holder, long now, long expiresAt)
      throws SQLException {
    try (PreparedStatement claim = connection.prepareStatement(CLAIM)) {
      claim.setString(1, task);
      claim.setString(2, holder.runId());
      claim.setString(3, holder.host());
      claim.setLong(4, holder.pid());
      claim.setLong(5, now);
      claim.setLong(6, expiresAt);
      try (ResultSet rows = claim.executeQuery()) {
        return rows.next() ? rows.getLong(1) : null;
      }
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

  /** Extends every live lease of {@code holder} among {@code tasks}; returns how many. */
  public static int heartbeat(Connection connection, Collection<String> tasks, LeaseHolder holder, long now,
      long expiresAt) throws SQLException {
    Array ids = connection.createArrayOf("text", tasks.toArray());
    try (PreparedStatement beat = connection.prepareStatement(HEARTBEAT)) {
      beat.setLong(1, now);
      beat.setLong(2, expiresAt);
      beat.setArray(3, ids);
      beat.setString(4, holder.runId());
      beat.setString(5, holder.host());
      beat.setLong(6, holder.pid());
      return beat.executeUpdate();
    } finally {
      ids.free();
    }
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
