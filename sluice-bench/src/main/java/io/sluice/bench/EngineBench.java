package io.sluice.bench;

import io.sluice.ExitCode;
import io.sluice.RunResult;
import io.sluice.Settings;
import io.sluice.Sluice;
import io.sluice.TaskListener;
import io.sluice.TaskStatus;
import io.sluice.history.HistoryRecorder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Times the engine on no-op tasks in three graph shapes, cold and warm, against a bare loop
 * writing the same files. By default each measurement runs in a fresh JVM, as {@code sluice run}
 * would; the parent only plans, prepares warm directories, and cleans up. See docs/benchmarks.md.
 */
public final class EngineBench {

  private final Options options;
  private int measured;

  EngineBench(Options options) {
    this.options = options;
  }

  public static void main(String[] args) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (Options.UsageException e) {
      if (e.getMessage() == null) {
        System.out.print(Options.USAGE);
        System.exit(0);
      }
      System.err.println("sluice-bench: " + e.getMessage());
      System.err.print(Options.USAGE);
      System.exit(2);
      return;
    }
    int code;
    try {
      code = options.child() ? new EngineBench(options).measureOne() : new EngineBench(options).measureAll();
    } catch (BenchFailure e) {
      System.err.println("sluice-bench: " + e.getMessage());
      code = 1;
    }
    System.exit(code);
  }

  /** A measurement that did not do what it should; the numbers would be meaningless. */
  static final class BenchFailure extends RuntimeException {
    BenchFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** As a forked JVM: the single measurement of the options, in their directory as it is. */
  private int measureOne() {
    Measurement measurement = new Measurement(options.shapes().iterator().next(), options.tasks().iterator().next(),
        options.workers().iterator().next(), options.phases().iterator().next());
    HistoryMode history = options.histories().isEmpty() ? null : options.histories().get(0);
    String policy = options.policies().isEmpty() ? null : options.policies().get(0);
    System.out.println(measure(measurement, history, policy, options.dir()));
    return 0;
  }

  private int measureAll() {
    List<Measurement> plan = plan();
    boolean fork = !options.inProcess() && !(plan.size() == 1 && options.repeat() == 1 && options.histories().size() <= 1
        && options.policies().size() <= 1 && (plan.get(0).phase() == Phase.COLD || plan.get(0).phase() == Phase.LIMIT));
    Medians medians = new Medians();
    Path scratch = createScratch();
    Thread cleanup = new Thread(() -> deleteTree(scratch), "sluice-bench-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    if (plan.size() > 1) {
      System.err.printf("# %d measurements, %s, scratch %s%n", plan.size(),
          fork ? "each in a fresh JVM" : "all in this JVM", scratch);
    }
    boolean onTmpfs = onTmpfs(scratch);
    try {
      for (int start = 0; start < plan.size(); ) {
        Measurement first = plan.get(start);
        int end = start;
        while (end < plan.size() && sameGroup(plan.get(end), first)) {
          end++;
        }
        for (int round = 1; round <= options.repeat(); round++) {
          Path work = scratch.resolve(first.shape().label() + "-" + first.tasks() + "-w" + first.workers()
              + (options.repeat() > 1 ? "-r" + round : ""));
          for (Step step : round(plan.subList(start, end), work, onTmpfs)) {
            if (step instanceof Step.Measure measure) {
              measureOne(measure.measurement(), measure.history(), measure.policy(), measure.dir(), measure.ranBefore(),
                  round, fork, medians);
            } else if (step instanceof Step.Delete delete) {
              deleteTree(delete.dir());
            }
          }
          if (onTmpfs) {
            // Memory has no allocator that skips recently deleted inodes (see below), and its
            // inodes are few: the rounds of a million-task graph fit in them one at a time only.
            deleteContents(scratch);
          }
        }
        start = end;
      }
      if (options.repeat() > 1) {
        medians.lines().forEach(System.out::println);
      }
    } finally {
      // Only now: on ext4 without a journal, files created in the minutes after many others were
      // deleted cost several times more (the inode allocator skips recently deleted inodes),
      // which would make each measurement pay for the cleanup of the one before it.
      deleteTree(scratch);
      try {
        Runtime.getRuntime().removeShutdownHook(cleanup);
      } catch (IllegalStateException e) {
        // already shutting down: the hook runs anyway
      }
    }
    return 0;
  }

  /** Smaller graphs first; per graph: cold, warm (in the files cold left), then the bare loop. */
  private List<Measurement> plan() {
    List<Measurement> plan = new ArrayList<>();
    for (int tasks : options.tasks()) {
      for (Shape shape : options.shapes()) {
        for (int workers : options.workers()) {
          for (Phase phase : options.phases()) {
            plan.add(new Measurement(shape, tasks, workers, phase));
          }
        }
      }
    }
    return plan;
  }

  /**
   * Where a measurement runs in its round: the bare loop beside Sluice's directory, and each
   * history of several in a directory of its own, so that each cold run finds nothing and each
   * warm one the files of its own cold run. The first history that records keeps the plain
   * directory: the paths its rows hold (log files, outputs) are as long as without {@code off},
   * so its bytes per task compare with a measurement of it alone. Of several policies likewise:
   * the first that keeps records (any but {@code exists}) keeps the plain directory.
   */
  private Path workDir(Path work, Measurement measurement, HistoryMode history, String policy) {
    if (measurement.phase() == Phase.LIMIT) {
      return work.resolveSibling(work.getFileName() + "-limit");
    }
    HistoryMode plain = options.histories().stream().filter(mode -> mode != HistoryMode.OFF).findFirst().orElse(null);
    String name = work.getFileName().toString();
    if (history != null && history != plain) {
      name += "-" + history.label();
    }
    if (policy != null && !policy.equals(options.policies().stream().filter(p -> !p.equals("exists")).findFirst()
        .orElse(options.policies().get(0)))) {
      name += "-" + policy;
    }
    return work.resolveSibling(name);
  }

  /**
   * The policies a measurement is made under, in turn: each of {@code --policy} (null without it);
   * the bare loop judges nothing, so it is measured once, labelled with the policy only when
   * there is one.
   */
  private List<String> policies(Measurement measurement) {
    if (measurement.phase() == Phase.LIMIT && options.policies().size() > 1 || options.policies().isEmpty()) {
      return Collections.singletonList(null);
    }
    return options.policies();
  }

  /** One step of a round: a measurement, or removing a directory no later step of the round needs. */
  sealed interface Step {
    /** Measures {@code measurement} in {@code dir}; {@code ranBefore}: this variant's cold run left its files there. */
    record Measure(Measurement measurement, HistoryMode history, String policy, Path dir, boolean ranBefore)
        implements Step {}

    record Delete(Path dir) implements Step {}
  }

  /**
   * The steps of one round of {@code group} (the measurements of one graph) in {@code work}: each
   * variant (history, policy) through its phases, then the bare loop. On tmpfs a variant's files
   * go before the next one runs: filling memory the machine has not used yet costs more than
   * reusing what was freed, so a run made beside another's files paid for them (100k-task fan-in,
   * the fingerprint policy measured second, beside the 100k files of exists: +40-52 % over it;
   * measured first, exists then beside its files: +15 %; each from a scratch without the other's
   * files: +28-33 %).
   */
  List<Step> round(List<Measurement> group, Path work, boolean onTmpfs) {
    List<Step> steps = new ArrayList<>();
    for (HistoryMode history : variantHistories()) {
      for (String policy : variantPolicies()) {
        boolean ranBefore = false;
        Path dir = null;
        for (Measurement measurement : group) {
          if (measurement.phase() != Phase.LIMIT) {
            dir = workDir(work, measurement, history, policy);
            steps.add(new Step.Measure(measurement, history, policy, dir, ranBefore));
            ranBefore = true;
          }
        }
        if (onTmpfs && dir != null) {
          steps.add(new Step.Delete(dir));
        }
      }
    }
    for (Measurement measurement : group) {
      if (measurement.phase() == Phase.LIMIT) {
        String policy = policies(measurement).get(0);
        steps.add(new Step.Measure(measurement, null, policy, workDir(work, measurement, null, policy), false));
      }
    }
    return steps;
  }

  /**
   * Measures one case of a round and prints its line: a warm or check phase first gets the files
   * it needs ({@code ranBefore}: this variant's cold run left them in {@code dir}).
   */
  private void measureOne(Measurement measurement, HistoryMode history, String policy, Path dir, boolean ranBefore,
      int round, boolean fork, Medians medians) {
    switch (measurement.phase()) {
      case WARM -> prepareWarm(measurement, policy, dir, ranBefore);
      case CHECK -> {
        if (!ranBefore) {
          runPipeline(measurement, policy, dir);
        }
      }
      default -> {}
    }
    if (history == HistoryMode.EXISTING) {
      BenchHistory.prepareExisting(dir, (earlier, recorder) -> runPipeline(measurement, policy, earlier, recorder));
    }
    String line = fork ? forked(measurement, history, policy, dir) : measure(measurement, history, policy, dir);
    // A single policy is the setting of every line; only several are told apart.
    medians.add(measurement, options.policies().size() > 1 ? policy : null, history, round, line);
    System.out.println(line);
    System.out.flush();
  }

  /** The histories Sluice's runs are measured with in turn: each of {@code --history}, or none (null). */
  private List<HistoryMode> variantHistories() {
    return options.histories().isEmpty() ? Collections.singletonList(null) : options.histories();
  }

  /** The policies Sluice's runs are measured under in turn: each of {@code --policy}, or the default (null). */
  private List<String> variantPolicies() {
    return options.policies().isEmpty() ? Collections.singletonList(null) : options.policies();
  }

  private static boolean sameGroup(Measurement a, Measurement b) {
    return a.shape() == b.shape() && a.tasks() == b.tasks() && a.workers() == b.workers();
  }

  /** Leaves every output in place but the root's, running the pipeline first if cold did not. */
  private void prepareWarm(Measurement warm, String policy, Path work, boolean ranBefore) {
    if (!ranBefore) {
      runPipeline(warm, policy, work);
    }
    List<Path> files = warm.shape().files(outputs(work), warm.tasks());
    try {
      Files.delete(files.get(files.size() - 1));
    } catch (IOException e) {
      throw new BenchFailure("cannot delete the root output for " + warm + ": " + e, e);
    }
  }

  /** Runs the whole pipeline of the measurement, to leave its outputs (and fingerprints) in place. */
  private void runPipeline(Measurement measurement, String policy, Path work) {
    runPipeline(measurement, policy, work, null);
  }

  private void runPipeline(Measurement measurement, String policy, Path work, HistoryRecorder history) {
    RunResult result = sluice(measurement.workers(), policy, work, history)
        .run(measurement.shape().root(outputs(work), measurement.tasks()));
    if (result.exitCode() != ExitCode.SUCCESS) {
      throw new BenchFailure("preparing " + measurement + " failed: " + result.verdict(), null);
    }
  }

  /**
   * Runs one measurement in this JVM and returns its line; {@code history} is the one it records
   * into, {@link HistoryMode#OFF} or null (without {@code --history}) for none; {@code policy} the
   * up-to-date policy, null for the default.
   */
  private String measure(Measurement measurement, HistoryMode history, String policy, Path work) {
    if (measured++ > 0) {
      System.gc();
    }
    PeakMemory.reset();
    Path outputs = outputs(work);
    long historyBefore = 0;
    long historyCloseNanos = 0;
    boolean recorded = history != null && history != HistoryMode.OFF && history != HistoryMode.LISTENER
        && measurement.phase() != Phase.LIMIT;
    if (recorded && history == HistoryMode.NEW) {
      BenchHistory.removeForNew(work);
    } else if (recorded) {
      historyBefore = BenchHistory.size(work);  // prepared by measureAll, in the parent JVM when forked
    }
    ThreadCpu threads = options.threads() ? ThreadCpu.startIfAvailable() : null;
    long cpuStart = cpuNanos();
    long start = System.nanoTime();
    RunResult result = null;
    if (measurement.phase() == Phase.LIMIT) {
      try {
        BareLoop.write(measurement.shape().files(outputs, measurement.tasks()), measurement.workers(), options.fsync());
      } catch (IOException | UncheckedIOException e) {
        throw new BenchFailure("the bare loop failed: " + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BenchFailure("interrupted", e);
      }
    } else if (recorded) {
      HistoryRecorder recorder = BenchHistory.recorder(work, measured);
      try {
        result = sluice(measurement.workers(), policy, work, recorder).run(measurement.shape().root(outputs, measurement.tasks()));
      } finally {
        long closing = System.nanoTime();
        recorder.close();
        historyCloseNanos = System.nanoTime() - closing;
      }
    } else {
      TaskListener listener = history == HistoryMode.LISTENER ? new TaskListener() { } : null;
      result = sluice(measurement.workers(), policy, work, listener).run(measurement.shape().root(outputs, measurement.tasks()));
    }
    long wall = System.nanoTime() - start;
    long cpu = cpuNanos() - cpuStart;
    if (threads != null) {
      threads.close();
      cpu -= threads.samplerNanos();
    }
    long peak = PeakMemory.peakMb();
    if (result != null) {
      check(measurement, result);
    }
    String line = measurement.line(wall, peak) + (policy == null ? "" : " policy=" + policy)
        + fingerprintBytes(measurement, policy, work);
    if (options.cpu()) {
      line += String.format(Locale.ROOT, " cpu_s=%.2f", cpu / 1e9);
    }
    if (threads != null) {
      line += threads.line();
    }
    if (history != null && result != null) {
      line += " history=" + history.label();
    }
    if (recorded && result != null) {
      line += String.format(Locale.ROOT, " history_close_s=%.3f", historyCloseNanos / 1e9)
          + " history_bytes_per_task=" + BenchHistory.bytesPerTask(work, historyBefore, result.statuses().size());
    }
    return line;
  }

  /** For fingerprinted runs, {@code " records_bytes_per_task=N"}: the size of the fingerprints kept per task. */
  private static String fingerprintBytes(Measurement measurement, String policy, Path work) {
    Path records = work.resolve("state").resolve("fingerprints").resolve("records");
    if (!"fingerprint".equals(policy) || measurement.phase() == Phase.LIMIT || !Files.isRegularFile(records)) {
      return "";
    }
    try {
      long tasks = measurement.shape().graphSize(measurement.tasks());
      return " records_bytes_per_task=" + Files.size(records) / tasks;
    } catch (IOException e) {
      return "";
    }
  }

  /** CPU time of the whole process (every thread, user and system), at the kernel's tick. */
  private static long cpuNanos() {
    return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }

  /** {@code listener}: the history recorder, a listener that ignores every event, or null for none. */
  private Sluice sluice(int workers, String policy, Path work, TaskListener listener) {
    Settings settings = policy == null ? Settings.empty() : Settings.empty().with("core", "up_to_date", policy);
    Sluice.Builder builder = Sluice.builder().workers(workers).stateDir(work.resolve("state")).fsync(options.fsync())
        .settings(settings);
    if (listener != null) {
      builder.listener(listener);
    }
    return builder.build();
  }

  private static Path outputs(Path work) {
    return work.resolve("out");
  }

  /** Fails unless the run did exactly what the phase means: everything ran, or only the root. */
  private static void check(Measurement measurement, RunResult result) {
    long expected = switch (measurement.phase()) {
      case COLD -> measurement.shape().graphSize(measurement.tasks());
      case CHECK -> 0;
      default -> 1;
    };
    long done = result.count(TaskStatus.DONE);
    if (result.exitCode() != ExitCode.SUCCESS || done != expected) {
      throw new BenchFailure(measurement + ": expected " + expected + " tasks to run, " + done + " did; "
          + result.verdict(), null);
    }
  }

  /** Runs one measurement in a fresh JVM with this JVM's flags and returns its line. */
  private String forked(Measurement measurement, HistoryMode history, String policy, Path work) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(EngineBench.class.getName());
    command.addAll(Options.childArgs(measurement, history, policy, work, options));
    try {
      Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      process.getOutputStream().close();
      List<String> lines = new ArrayList<>();
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          lines.add(line);
        }
      }
      int code = process.waitFor();
      if (code != 0 || lines.size() != 1) {
        throw new BenchFailure(measurement + " failed in its JVM (exit code " + code + ")"
            + (lines.isEmpty() ? "" : ": " + String.join("\n", lines)), null);
      }
      return lines.get(0);
    } catch (IOException e) {
      throw new BenchFailure("cannot start a JVM for " + measurement + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BenchFailure("interrupted", e);
    }
  }

  private Path createScratch() {
    Path base = options.dir() == null ? Path.of("").toAbsolutePath() : options.dir().toAbsolutePath();
    try {
      Files.createDirectories(base);
      return Files.createTempDirectory(base, "sluice-bench-");
    } catch (IOException e) {
      throw new BenchFailure("cannot create a scratch directory under " + base + ": " + e, e);
    }
  }

  private static boolean onTmpfs(Path dir) {
    try {
      return "tmpfs".equals(Files.getFileStore(dir).type());
    } catch (IOException e) {
      return false;
    }
  }

  /** Deletes what {@code dir} holds, keeping it. */
  private static void deleteContents(Path dir) {
    try (var entries = Files.newDirectoryStream(dir)) {
      entries.forEach(EngineBench::deleteTree);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + " to clean it between rounds", e);
    }
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
          if (e instanceof NoSuchFileException) {
            return FileVisitResult.CONTINUE;
          }
          throw e;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
          if (e != null && !(e instanceof NoSuchFileException)) {
            throw e;
          }
          Files.deleteIfExists(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new BenchFailure("cannot delete " + root + ": " + e, e);
    }
  }
}
