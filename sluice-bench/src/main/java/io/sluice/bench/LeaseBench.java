package io.sluice.bench;

import io.sluice.ExitCode;
import io.sluice.LocalTarget;
import io.sluice.Param;
import io.sluice.RunResult;
import io.sluice.Sluice;
import io.sluice.Task;
import io.sluice.TaskContext;
import io.sluice.TaskStatus;
import io.sluice.WrapperTask;
import io.sluice.history.HistoryConfig;
import io.sluice.history.HistoryRecorder;
import io.sluice.history.LeaseHolder;
import io.sluice.history.RunIds;
import io.sluice.history.RunInfo;
import io.sluice.history.StartedBy;
import io.sluice.history.TaskLeases;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Task leases and the history under load: N processes (JVMs) each run T no-op tasks of their own,
 * every one claimed, confirmed and released in one shared PostgreSQL and recorded in its history,
 * as {@code sluice run} does with {@code [history] url} set to it. Prints the tasks per second of
 * all processes together, between the first engine start and the last engine end (and over the
 * processes' whole lives, JVM starts included), and the CPU seconds the processes used; with
 * {@code --postgres-data DIR} (the cluster's data directory, on this machine) also the CPU seconds of
 * the PostgreSQL server's processes over the same time.
 *
 * <pre>
 * bin/sluice-bench leases --url "$(scripts/postgres-local.sh url)" --processes 8 --tasks 10000 --workers 8 \
 *     --postgres-data /var/tmp/sluice-postgres/data
 * </pre>
 */
public final class LeaseBench {

  private LeaseBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("child")) {
      child(args[1], Path.of(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]));
      return;
    }
    String url = null;
    int processes = 8;
    int tasks = 10_000;
    int workers = 2;
    Path dir = Path.of("/dev/shm");
    Path postgresData = null;
    for (int i = 0; i < args.length; i += 2) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--url" -> url = value;
        case "--processes" -> processes = Integer.parseInt(value);
        case "--tasks" -> tasks = Integer.parseInt(value);
        case "--workers" -> workers = Integer.parseInt(value);
        case "--dir" -> dir = Path.of(value);
        case "--postgres-data" -> postgresData = Path.of(value);
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + "; give --url JDBC_URL [--processes 8] [--tasks 10000] [--workers 2] [--dir /dev/shm]"
            + " [--postgres-data DIR]");
      }
    }
    if (url == null) {
      throw new IllegalArgumentException("--url is missing: the PostgreSQL to use, e.g. --url \"$(scripts/postgres-local.sh url)\"");
    }
    System.exit(parent(url, processes, tasks, workers, dir, postgresData));
  }

  private static int parent(String url, int processes, int tasks, int workers, Path dir, Path postgresData)
      throws Exception {
    String name = "lease_bench_" + Long.toHexString(new Random().nextLong() & Long.MAX_VALUE);
    try (Connection admin = DriverManager.getConnection(url); Statement sql = admin.createStatement()) {
      sql.execute("CREATE DATABASE " + name);
    }
    String database = url.replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1");
    // The schema is created before the clock starts, as every run of a project but its first finds it.
    try (TaskLeases leases = TaskLeases.builder(new HistoryConfig(database, null, null), new LeaseHolder("bench", "bench", 0))
        .start()) {
      leases.claim(new io.sluice.TaskId("Warmup", java.util.Map.of()), Duration.ZERO).release();
    }
    Path work = Files.createTempDirectory(dir, "lease-bench-");
    ServerCpu server = postgresData == null ? null : new ServerCpu(postgresData);
    long started = System.nanoTime();
    List<Process> children = new ArrayList<>();
    for (int p = 0; p < processes; p++) {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
      command.addAll(List.of("-cp", System.getProperty("java.class.path"), LeaseBench.class.getName(), "child",
          database, work.toString(), Integer.toString(p), Integer.toString(tasks), Integer.toString(workers)));
      children.add(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }
    long firstStart = Long.MAX_VALUE;
    long lastEnd = 0;
    double clientCpu = 0;
    int failed = 0;
    for (Process child : children) {
      String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      // The last line: JVM options given through SLUICE_BENCH_JAVA_OPTS (a flight recording) may print before it.
      out = out.substring(out.lastIndexOf('\n') + 1);
      if (child.waitFor() != 0 || !out.startsWith("window ")) {
        failed++;
        System.err.println("a process failed: " + out);
        continue;
      }
      String[] parts = out.substring("window ".length()).split(" ");
      firstStart = Math.min(firstStart, Long.parseLong(parts[0]));
      lastEnd = Math.max(lastEnd, Long.parseLong(parts[1]));
      clientCpu += Double.parseDouble(parts[2]);
    }
    String serverCpu = server == null ? "" : String.format(Locale.ROOT, " server_cpu_s=%.1f", server.seconds());
    double whole = (System.nanoTime() - started) / 1e9;
    double window = (lastEnd - firstStart) / 1e3;
    long total = (long) processes * tasks;
    System.out.printf(Locale.ROOT, "leases processes=%d tasks_each=%d workers=%d total=%d engine_window_s=%.2f"
        + " tasks_per_s=%.0f whole_s=%.2f tasks_per_s_whole=%.0f client_cpu_s=%.1f%s failed=%d%n", processes, tasks,
        workers, total, window, total / window, whole, total / whole, clientCpu, serverCpu, failed);
    try (Connection admin = DriverManager.getConnection(url); Statement sql = admin.createStatement()) {
      sql.execute("DROP DATABASE " + name + " WITH (FORCE)");
    }
    deleteTree(work);
    return failed == 0 ? 0 : 1;
  }

  /** One process: its tasks under leases, recorded; prints its engine's start and end (epoch ms). */
  private static void child(String url, Path work, int process, int tasks, int workers) throws Exception {
    HistoryConfig config = new HistoryConfig(url, null, null);
    Instant start = Instant.now();
    RunInfo run = new RunInfo(RunIds.next(start, new Random(process)), "Pieces", "sluice-bench leases",
        System.getProperty("user.name", "?"), "bench", ProcessHandle.current().pid(), work.toString(), null,
        StartedBy.TERMINAL, start);
    Path state = work.resolve("state-" + process);
    RunResult result;
    long begin;
    long ran;
    long end;
    try (HistoryRecorder history = HistoryRecorder.builder(config, run).logDir(state.resolve("logs")).start();
        TaskLeases leases = TaskLeases.builder(config, new LeaseHolder(run.id(), "bench", ProcessHandle.current().pid()))
            .start()) {
      Sluice.Builder builder = Sluice.builder().workers(workers).stateDir(state).listener(history);
      // SLUICE_BENCH_LEASES=false: the history alone, to tell the leases' share of the time.
      if (!"false".equals(System.getenv("SLUICE_BENCH_LEASES"))) {
        builder.claims(leases);
      }
      Sluice sluice = builder.build();
      begin = System.currentTimeMillis();
      result = sluice.run(new Pieces(work.resolve("out-" + process), process, tasks));
      ran = System.currentTimeMillis();
      history.exitCode(result.exitCode().code());
      history.close();
      end = System.currentTimeMillis();
    }
    if (result.exitCode() != ExitCode.SUCCESS || result.count(TaskStatus.DONE) < tasks) {
      System.out.println("failed: " + result.verdict());
      System.exit(1);
    }
    double cpu = ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
    System.out.println("window " + begin + " " + end + " " + cpu);
    System.err.printf(Locale.ROOT, "process %d: %d tasks in %.2f s (the engine's run %.2f s, then the history's last"
        + " writes %.2f s)%n", process, tasks, (end - begin) / 1e3, (ran - begin) / 1e3, (end - ran) / 1e3);
  }

  /**
   * The CPU time of a PostgreSQL server on this machine since this object was made: its postmaster
   * and the backends it has reaped, and the backends alive now, from {@code /proc} (Linux).
   */
  private static final class ServerCpu {
    private final long postmaster;
    private final long start;

    ServerCpu(Path data) throws IOException {
      this.postmaster = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).strip());
      this.start = ticks();
    }

    double seconds() throws IOException {
      return (ticks() - start) / 100.0;  // USER_HZ is 100 on Linux
    }

    private long ticks() throws IOException {
      long ticks = fields(postmaster, true);
      try (var children = ProcessHandle.of(postmaster).orElseThrow().children()) {
        for (ProcessHandle child : children.toList()) {
          ticks += fields(child.pid(), false);
        }
      }
      return ticks;
    }

    /** utime + stime (and, for the postmaster, its reaped children's). */
    private static long fields(long pid, boolean withChildren) {
      try {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return withChildren ? ticks + Long.parseLong(f[13]) + Long.parseLong(f[14]) : ticks;
      } catch (IOException | RuntimeException e) {
        return 0;  // a backend that ended meanwhile: its time is in the postmaster's reaped children
      }
    }
  }

  /** The tasks of one process. */
  record Pieces(@Param(significant = false) Path dir, int process, int tasks) implements WrapperTask {
    @Override
    public List<Task> requires() {
      return IntStream.range(0, tasks).<Task>mapToObj(i -> new Piece(dir, process, i)).toList();
    }
  }

  /** A no-op that writes one tiny file. */
  record Piece(@Param(significant = false) Path dir, int process, int index) implements Task {
    @Override
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve(index + ".txt"));
    }

    @Override
    public void run(TaskContext context) throws IOException {
      output().writeString("x");
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
