package io.sluice.history;

import io.sluice.history.internal.Connections;
import io.sluice.history.internal.Migrations;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the history: the last runs, one run's tasks, one task's past runs; and removes old runs.
 * Opening it brings its schema to the latest version.
 */
public final class HistoryDatabase implements AutoCloseable {

  private static final String RUN_COLUMNS = "id, root_task, command_line, user_name, host, pid, cwd, git_commit,"
      + " started_by, started_at, ended_at, exit_code, heartbeat_at";
  private static final String TASK_COLUMNS = "run_id, family, task_name, params, status, attempts, started_at,"
      + " ended_at, duration_ms, error, stack_trace, log_file, outputs, remote_backend, remote_run_id, remote_tier,"
      + " remote_commit, remote_queued_ms, remote_ran_ms";

  private final HistoryConfig config;
  private final Connection connection;
  private final RunLiveness liveness;

  private HistoryDatabase(HistoryConfig config, Connection connection, RunLiveness liveness) {
    this.config = config;
    this.connection = connection;
    this.liveness = liveness;
  }

  /**
   * Opens the history, creating or upgrading its schema.
   *
   * @throws SQLException when the database cannot be reached or migrated; the message says where
   */
  public static HistoryDatabase open(HistoryConfig config) throws SQLException {
    return open(config, RunLiveness.here());
  }

  /** Opens the history, judging which runs not ended are lost with {@code liveness}. */
  public static HistoryDatabase open(HistoryConfig config, RunLiveness liveness) throws SQLException {
    Migrations.migrate(config);
    return new HistoryDatabase(config, Connections.open(config), liveness);
  }

  /** Where it is, for messages (no password). */
  public String where() {
    return config.where();
  }

  /** What the server's schedules did, on this connection. */
  public ScheduleFires scheduleFires() {
    return new ScheduleFires(connection);
  }

  /** The last {@code limit} runs, newest first. */
  public List<RunRecord> runs(int limit) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT " + RUN_COLUMNS + " FROM runs ORDER BY started_at DESC, id DESC LIMIT ?")) {
      query.setInt(1, limit);
      return runs(query);
    }
  }

  /**
   * The run of this id; a unique beginning of an id will do, and {@code last} is the latest run.
   *
   * @throws IllegalArgumentException when the beginning fits several runs (their ids are listed)
   */
  public Optional<RunRecord> run(String id) throws SQLException {
    if (id.equals("last")) {
      return runs(1).stream().findFirst();
    }
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT " + RUN_COLUMNS + " FROM runs WHERE id LIKE ? ESCAPE '!' ORDER BY id LIMIT 6")) {
      query.setString(1, id.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
      List<RunRecord> found = runs(query);
      for (RunRecord run : found) {
        if (run.info().id().equals(id)) {
          return Optional.of(run);
        }
      }
      if (found.size() > 1) {
        throw new IllegalArgumentException("Run id '" + id + "' is the beginning of several runs' ids ("
            + String.join(", ", found.stream().limit(5).map(r -> r.info().id()).toList())
            + (found.size() > 5 ? ", ..." : "") + "); give more of it");
      }
      return found.stream().findFirst();
    }
  }

  /** The tasks of a run, in the order the run met them. */
  public List<TaskRecord> tasks(String runId) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT " + TASK_COLUMNS + " FROM tasks WHERE run_id = ? ORDER BY task_no")) {
      query.setString(1, runId);
      return tasks(query);
    }
  }

  /**
   * The last {@code limit} times a task ran, newest first: every task of a family ({@code TrainForest}),
   * or one task with its parameters ({@code FitModel(alpha=0.5)}, as {@code sluice show} writes it).
   */
  public List<TaskRecord> taskHistory(String task, int limit) throws SQLException {
    int paren = task.indexOf('(');
    String family = paren < 0 ? task : task.substring(0, paren);
    try (PreparedStatement query = connection.prepareStatement("SELECT " + TASK_COLUMNS + " FROM tasks"
        + " WHERE family = ? AND started_at IS NOT NULL" + (paren < 0 ? "" : " AND task_name = ?")
        + " ORDER BY started_at DESC LIMIT ?")) {
      query.setString(1, family);
      if (paren < 0) {
        query.setInt(2, limit);
      } else {
        query.setString(2, task);
        query.setInt(3, limit);
      }
      return tasks(query);
    }
  }

  /**
   * How long the tasks of these families took in their last {@code perFamily} successful runs, for
   * foreseeing how long a run will take.
   */
  public PastDurations pastDurations(Collection<String> families, int perFamily) throws SQLException {
    List<PastDurations.Sample> samples = new ArrayList<>();
    try (PreparedStatement query = connection.prepareStatement("SELECT task_name, duration_ms FROM tasks"
        + " WHERE family = ? AND status = 'DONE' AND duration_ms IS NOT NULL ORDER BY started_at DESC LIMIT ?")) {
      for (String family : families) {
        query.setString(1, family);
        query.setInt(2, perFamily);
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            samples.add(new PastDurations.Sample(family, rows.getString(1), Duration.ofMillis(rows.getLong(2))));
          }
        }
      }
    }
    return PastDurations.of(samples);
  }

  /** The last {@code limit} runs that pass {@code filter}, newest first. */
  public List<RunRecord> runs(RunFilter filter, int limit) throws SQLException {
    List<Object> values = new ArrayList<>();
    StringBuilder where = new StringBuilder(" WHERE 1 = 1");
    if (filter.task() != null) {
      where.append(" AND LOWER(root_task) LIKE ? ESCAPE '!'");
      values.add(contains(filter.task()));
    }
    if (filter.host() != null) {
      where.append(" AND host = ?");
      values.add(filter.host());
    }
    if (filter.from() != null) {
      where.append(" AND started_at >= ?");
      values.add(filter.from().toEpochMilli());
    }
    if (filter.to() != null) {
      where.append(" AND started_at < ?");
      values.add(filter.to().toEpochMilli());
    }
    if (filter.outcome() == RunFilter.Outcome.RUNNING) {
      values.add(liveness.cutoff().toEpochMilli());
    }
    if (filter.outcome() != null) {
      where.append(switch (filter.outcome()) {
        // A dead process on this host is only seen by its pid: those are taken out below.
        case RUNNING -> " AND ended_at IS NULL AND COALESCE(heartbeat_at, started_at) >= ?";
        case LOST -> " AND ended_at IS NULL";
        case SUCCEEDED -> " AND ended_at IS NOT NULL AND exit_code = 0";
        case FAILED -> " AND ended_at IS NOT NULL AND (exit_code IS NULL OR exit_code <> 0)";
      });
    }
    values.add(limit);
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT " + RUN_COLUMNS + " FROM runs" + where + " ORDER BY started_at DESC, id DESC LIMIT ?")) {
      bind(query, values);
      List<RunRecord> runs = runs(query);
      if (filter.outcome() == RunFilter.Outcome.RUNNING) {
        runs.removeIf(RunRecord::lost);
      } else if (filter.outcome() == RunFilter.Outcome.LOST) {
        runs.removeIf(run -> !run.lost());
      }
      return runs;
    }
  }

  /** A run's tasks counted per family and status, families in the order the run met them. */
  public List<FamilyCounts> families(String runId) throws SQLException {
    Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
    try (PreparedStatement query = connection.prepareStatement("SELECT family, status, COUNT(*), MIN(task_no) AS first"
        + " FROM tasks WHERE run_id = ? GROUP BY family, status ORDER BY first")) {
      query.setString(1, runId);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          counts.computeIfAbsent(rows.getString(1), family -> new LinkedHashMap<>()).put(rows.getString(2), rows.getInt(3));
        }
      }
    }
    List<FamilyCounts> families = new ArrayList<>();
    counts.forEach((family, byStatus) -> families.add(
        new FamilyCounts(family, byStatus.values().stream().mapToInt(Integer::intValue).sum(), byStatus)));
    return families;
  }

  /** The tasks of a run that pass {@code filter}, {@code limit} from {@code offset}, in the order the run met them. */
  public List<RunTask> tasks(String runId, TaskFilter filter, int offset, int limit) throws SQLException {
    List<Object> values = new ArrayList<>();
    String where = taskWhere(runId, filter, values);
    values.add(limit);
    values.add(offset);
    try (PreparedStatement query = connection.prepareStatement("SELECT " + TASK_COLUMNS + ", task_no FROM tasks"
        + where + " ORDER BY task_no LIMIT ? OFFSET ?")) {
      bind(query, values);
      return numberedTasks(query);
    }
  }

  /** How many tasks of a run pass {@code filter}. */
  public int countTasks(String runId, TaskFilter filter) throws SQLException {
    List<Object> values = new ArrayList<>();
    try (PreparedStatement query = connection.prepareStatement("SELECT COUNT(*) FROM tasks" + taskWhere(runId, filter, values))) {
      bind(query, values);
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    }
  }

  /** The task of this number in a run. */
  public Optional<RunTask> task(String runId, int number) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT " + TASK_COLUMNS + ", task_no FROM tasks WHERE run_id = ? AND task_no = ?")) {
      query.setString(1, runId);
      query.setInt(2, number);
      return numberedTasks(query).stream().findFirst();
    }
  }

  /** What happened to a task beyond its row (retries, later attempts, notes), oldest first. */
  public List<TaskEventRecord> events(String runId, int number) throws SQLException {
    List<TaskEventRecord> events = new ArrayList<>();
    try (PreparedStatement query = connection.prepareStatement("SELECT kind, at, attempt, message FROM task_events"
        + " WHERE run_id = ? AND task_no = ? ORDER BY at, attempt")) {
      query.setString(1, runId);
      query.setInt(2, number);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          events.add(new TaskEventRecord(rows.getString(1), Instant.ofEpochMilli(rows.getLong(2)), rows.getInt(3),
              rows.getString(4)));
        }
      }
    }
    return events;
  }

  /** A run's graph by family as recorded when it was built; {@link RunGraph#NONE} when none was. */
  public RunGraph runGraph(String runId) throws SQLException {
    Map<String, Integer> families = new LinkedHashMap<>();
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT family, tasks FROM run_families WHERE run_id = ? ORDER BY position")) {
      query.setString(1, runId);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          families.put(rows.getString(1), rows.getInt(2));
        }
      }
    }
    List<RunGraph.Link> links = new ArrayList<>();
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT family, required_family, links FROM family_links WHERE run_id = ? ORDER BY family, required_family")) {
      query.setString(1, runId);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          links.add(new RunGraph.Link(rows.getString(1), rows.getString(2), rows.getInt(3)));
        }
      }
    }
    return families.isEmpty() && links.isEmpty() ? RunGraph.NONE : new RunGraph(families, links);
  }

  /**
   * When each family's tasks ran, for a timeline of a big run: the first start, the last end and
   * how many tasks started in each of {@code slices} equal slices of [{@code from}, {@code to})
   * (a start outside counts in the first or last slice). Read from the index in its own order:
   * a pass per family for its span, and a count per slice, each a range of the index, so nothing
   * is sorted (grouping by a slice computed per task made SQLite sort the whole run).
   */
  public List<FamilySpan> familySpans(String runId, Instant from, Instant to, int slices) throws SQLException {
    long first = from.toEpochMilli();
    long width = Math.max(1, to.toEpochMilli() - first);
    List<FamilySpan> result = new ArrayList<>();
    try (PreparedStatement spans = connection.prepareStatement("SELECT family, MIN(started_at),"
        + " MAX(COALESCE(ended_at, started_at)), COUNT(*) FROM tasks WHERE run_id = ? AND started_at IS NOT NULL"
        + " GROUP BY family");
        PreparedStatement counts = connection.prepareStatement("SELECT COUNT(*) FROM tasks"
            + " WHERE run_id = ? AND family = ? AND started_at >= ? AND started_at < ?")) {
      spans.setString(1, runId);
      try (ResultSet rows = spans.executeQuery()) {
        while (rows.next()) {
          String family = rows.getString(1);
          long firstStart = rows.getLong(2);
          long lastEnd = rows.getLong(3);
          int started = rows.getInt(4);
          List<Integer> perSlice = new ArrayList<>(slices);
          counts.setString(1, runId);
          counts.setString(2, family);
          for (int slice = 0; slice < slices; slice++) {
            // Slice i holds the starts s with (s - first) * slices / width = i (integer division);
            // starts before the first slice count in it, starts after the last one in that.
            counts.setLong(3, slice == 0 ? Long.MIN_VALUE : first + ceilDiv(slice * width, slices));
            counts.setLong(4, slice == slices - 1 ? Long.MAX_VALUE : first + ceilDiv((slice + 1) * width, slices));
            try (ResultSet count = counts.executeQuery()) {
              count.next();
              perSlice.add(count.getInt(1));
            }
          }
          result.add(new FamilySpan(family, Instant.ofEpochMilli(firstStart), Instant.ofEpochMilli(lastEnd), started,
              perSlice));
        }
      }
    }
    result.sort(java.util.Comparator.comparing(FamilySpan::first));
    return result;
  }

  private static long ceilDiv(long dividend, long divisor) {
    return -Math.floorDiv(-dividend, divisor);
  }

  /**
   * What a run holds against its limits as its process last told it (schema V8), as JSON
   * {@code {"limits": {"gpu": 2}, "held": {"gpu": 1}}}; empty when it told nothing (its tasks hold
   * no resources and it has no limits, or it was recorded before V8).
   */
  public Optional<String> resourceUse(String runId) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement("SELECT resources FROM runs WHERE id = ?")) {
      query.setString(1, runId);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? Optional.ofNullable(rows.getString(1)) : Optional.empty();
      }
    }
  }

  /** The task leases held at {@code now} (PostgreSQL histories; SQLite has none), oldest first. */
  public List<HeldLease> heldLeases(Instant now, int limit) throws SQLException {
    List<HeldLease> leases = new ArrayList<>();
    try (PreparedStatement query = connection.prepareStatement("SELECT task_id, owner_run, host, pid, epoch,"
        + " heartbeat_at, expires_at FROM task_leases WHERE expires_at > ? ORDER BY heartbeat_at LIMIT ?")) {
      query.setLong(1, now.toEpochMilli());
      query.setInt(2, limit);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          leases.add(new HeldLease(rows.getString(1), new LeaseHolder(rows.getString(2), rows.getString(3),
              rows.getLong(4)), rows.getLong(5), Instant.ofEpochMilli(rows.getLong(6)),
              Instant.ofEpochMilli(rows.getLong(7))));
        }
      }
    }
    return leases;
  }

  /** How many runs started before {@code cutoff}. */
  public int countRunsBefore(Instant cutoff) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement("SELECT COUNT(*) FROM runs WHERE started_at < ?")) {
      query.setLong(1, cutoff.toEpochMilli());
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    }
  }

  /**
   * Removes the runs started before {@code cutoff}, with their tasks and events.
   *
   * @return how many runs were removed
   */
  public int deleteRunsBefore(Instant cutoff) throws SQLException {
    long millis = cutoff.toEpochMilli();
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try {
      String old = " WHERE run_id IN (SELECT id FROM runs WHERE started_at < ?)";
      for (String delete : List.of("DELETE FROM task_events" + old, "DELETE FROM family_links" + old,
          "DELETE FROM run_families" + old, "DELETE FROM tasks" + old)) {
        try (PreparedStatement statement = connection.prepareStatement(delete)) {
          statement.setLong(1, millis);
          statement.executeUpdate();
        }
      }
      int removed;
      try (PreparedStatement statement = connection.prepareStatement("DELETE FROM runs WHERE started_at < ?")) {
        statement.setLong(1, millis);
        removed = statement.executeUpdate();
      }
      connection.commit();
      return removed;
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }

  private List<RunRecord> runs(PreparedStatement query) throws SQLException {
    List<RunRecord> runs = new ArrayList<>();
    try (ResultSet rows = query.executeQuery()) {
      while (rows.next()) {
        RunInfo info = new RunInfo(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
            rows.getString(5), rows.getLong(6), rows.getString(7), rows.getString(8),
            StartedBy.parse(rows.getString(9)), Instant.ofEpochMilli(rows.getLong(10)));
        Long ended = longOrNull(rows, 11);
        int exit = rows.getInt(12);
        Integer exitCode = rows.wasNull() ? null : exit;
        Long beat = longOrNull(rows, 13);
        Instant heartbeat = beat == null ? null : Instant.ofEpochMilli(beat);
        runs.add(new RunRecord(info, ended == null ? null : Instant.ofEpochMilli(ended), exitCode, heartbeat,
            ended == null && liveness.lost(info, heartbeat)));
      }
    }
    return runs;
  }

  private static List<TaskRecord> tasks(PreparedStatement query) throws SQLException {
    List<TaskRecord> tasks = new ArrayList<>();
    try (ResultSet rows = query.executeQuery()) {
      while (rows.next()) {
        tasks.add(task(rows));
      }
    }
    return tasks;
  }

  /** Rows of {@link #TASK_COLUMNS} followed by {@code task_no}. */
  private static List<RunTask> numberedTasks(PreparedStatement query) throws SQLException {
    List<RunTask> tasks = new ArrayList<>();
    try (ResultSet rows = query.executeQuery()) {
      while (rows.next()) {
        tasks.add(new RunTask(rows.getInt(20), task(rows)));
      }
    }
    return tasks;
  }

  private static TaskRecord task(ResultSet rows) throws SQLException {
    String backend = rows.getString(14);
    TaskRecord.Remote remote = backend == null ? null : new TaskRecord.Remote(backend, rows.getString(15),
        rows.getString(16), rows.getString(17), millis(longOrNull(rows, 18)), millis(longOrNull(rows, 19)));
    return new TaskRecord(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
        rows.getString(5), rows.getInt(6), instant(longOrNull(rows, 7)), instant(longOrNull(rows, 8)),
        millis(longOrNull(rows, 9)), rows.getString(10), rows.getString(11), rows.getString(12),
        rows.getString(13), remote);
  }

  private static String taskWhere(String runId, TaskFilter filter, List<Object> values) {
    StringBuilder where = new StringBuilder(" WHERE run_id = ?");
    values.add(runId);
    if (filter.family() != null) {
      where.append(" AND family = ?");
      values.add(filter.family());
    }
    if (filter.status() != null) {
      where.append(" AND status = ?");
      values.add(filter.status());
    }
    if (filter.search() != null) {
      where.append(" AND LOWER(task_name) LIKE ? ESCAPE '!'");
      values.add(contains(filter.search()));
    }
    return where.toString();
  }

  /** A LIKE pattern for text anywhere, lower case (LIKE is case-sensitive in PostgreSQL, not in SQLite). */
  private static String contains(String text) {
    return "%" + text.toLowerCase(java.util.Locale.ROOT).replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
  }

  private static void bind(PreparedStatement query, List<Object> values) throws SQLException {
    for (int i = 0; i < values.size(); i++) {
      query.setObject(i + 1, values.get(i));
    }
  }

  private static Long longOrNull(ResultSet rows, int column) throws SQLException {
    long value = rows.getLong(column);
    return rows.wasNull() ? null : value;
  }

  private static Instant instant(Long millis) {
    return millis == null ? null : Instant.ofEpochMilli(millis);
  }

  private static Duration millis(Long millis) {
    return millis == null ? null : Duration.ofMillis(millis);
  }
}
