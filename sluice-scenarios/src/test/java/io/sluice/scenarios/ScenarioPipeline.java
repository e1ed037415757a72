package io.sluice.scenarios;

import io.sluice.ExternalTask;
import io.sluice.LocalTarget;
import io.sluice.Param;
import io.sluice.RunResult;
import io.sluice.Settings;
import io.sluice.Sluice;
import io.sluice.Task;
import io.sluice.TaskContext;
import io.sluice.TaskEvent;
import io.sluice.TaskListener;
import io.sluice.WrapperTask;
import io.sluice.internal.Signals;
import java.io.BufferedWriter;
import java.io.File;
import java.io.FileWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * The program the scenario tests start as a child JVM, in a project directory of its own:
 * {@code ScenarioPipeline <scenario> [option]}. It runs the scenario's pipeline the way the
 * {@code sluice} command does (signals turned into a graceful stop, summary on stdout, the
 * run's exit code) and prints one {@code event} line per task event. Tasks tell the test where
 * they are by creating files under {@code markers/}; outputs go under {@code out/}.
 */
public final class ScenarioPipeline {

  /** How long a task that waits to be killed or interrupted waits before giving up. */
  static final Duration BLOCK_LIMIT = Duration.ofSeconds(60);

  private ScenarioPipeline() {}

  public static void main(String[] args) throws Exception {
    String scenario = args[0];
    String option = args.length > 1 ? args[1] : "";
    // A third argument names the project's up-to-date policy ([core] up_to_date).
    Settings settings = args.length > 2 ? Settings.empty().with("core", "up_to_date", args[2]) : Settings.empty();
    List<Task> roots = switch (scenario) {
      case "kill-during-write" -> List.of(new HalfWrittenOutput(option.equals("block")));
      case "same-task-twice" -> List.of(new SlowOnce());
      case "interrupt" -> List.of(new InterruptRoot());
      case "stubborn" -> List.of(new Stubborn());
      case "cooperative" -> List.of(new Cooperative());
      case "failing-branch" -> List.of(new FinalReport());
      case "missing-external" -> List.of(new CleanMeasurements());
      case "cycle" -> List.of(new CycleA());
      case "diamond" -> List.of(DiamondPipeline.root());
      case "chain" -> List.of(new ChainLink(Integer.parseInt(option) - 1));
      case "slow-chain" -> List.of(new SlowLink(Integer.parseInt(option) - 1));
      case "endless" -> List.of(option.equals("tree") ? new EndlessTree(0, 0) : new EndlessChain(0));
      case "gpu" -> List.of(new OnTheGpu(option + "-0"), new OnTheGpu(option + "-1"), new OnTheGpu(option + "-2"));
      default -> throw new IllegalArgumentException("unknown scenario " + scenario);
    };
    // diamond [<processes to wait for>|force-upstream=<family>|hold=<processes>|hold-root=<processes>
    // [policy]]: several processes at once; with hold, the tasks started before that many
    // processes planned wait for them (with hold-root, the root only).
    boolean diamond = scenario.equals("diamond");
    if (diamond && option.startsWith("hold=")) {
      System.setProperty(DiamondPipeline.HOLD_FOR, option.substring("hold=".length()));
      option = "1";  // marks that it planned, waits for no one
    } else if (diamond && option.startsWith("hold-root=")) {
      System.setProperty(DiamondPipeline.HOLD_FOR, option.substring("hold-root=".length()));
      System.setProperty(DiamondPipeline.HOLD_FROM_LAYER, Integer.toString(DiamondPipeline.LAYERS));
      option = "1";
    }
    Sluice sluice = Sluice.builder()
        .settings(settings)
        .workers(diamond || scenario.equals("gpu") ? 2 : 1)
        .resourceLimits(scenario.equals("gpu") ? java.util.Map.of("gpu", 1) : java.util.Map.of())
        .forceUpstream(option.startsWith("force-upstream=") ? Set.of(option.substring("force-upstream=".length())) : Set.of())
        .listener(diamond && option.matches("\\d+") ? new StartTogether(Integer.parseInt(option))
            : new PrintingListener(scenario.equals("same-task-twice") || scenario.equals("kill-during-write")))
        .build();
    RunResult result;
    try (Signals.Handle interrupt = Signals.onInterrupt(sluice::cancel)) {
      result = sluice.run(roots);
    }
    System.out.println(result.summary());
    System.out.flush();
    System.exit(result.exitCode().code());
  }

  /** One link of a chain judged by make's rule: link n requires link n - 1. */
  record ChainLink(int n) implements io.sluice.UpToDateTask {
    @Override
    public List<? extends Task> requires() {
      return n == 0 ? List.of() : List.of(new ChainLink(n - 1));
    }

    @Override
    public LocalTarget output() {
      return LocalTarget.of("out", "chain-" + n);
    }

    @Override
    public void run(TaskContext context) throws Exception {
      output().writeString(n + "\n");
    }
  }

  /** Link n of a chain of slow tasks: requires link n - 1, logs its run to runs.log, takes 100 ms. */
  record SlowLink(int n) implements Task {
    @Override
    public List<? extends Task> requires() {
      return n == 0 ? List.of() : List.of(new SlowLink(n - 1));
    }

    @Override
    public LocalTarget output() {
      return LocalTarget.of("out", "slow-" + n);
    }

    @Override
    public void run(TaskContext context) throws Exception {
      java.nio.file.Files.writeString(java.nio.file.Path.of("runs.log"), context.id() + "\n",
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
      Thread.sleep(100);
      output().writeString(n + "\n");
    }
  }

  /**
   * Needs the one GPU ({@code [resources] gpu = 1}) for 150 ms, and appends when it had it to
   * {@code gpu.log}: {@code name start end}, in nanoseconds since the epoch.
   */
  record OnTheGpu(String name) implements Task {
    @Override
    public io.sluice.Resources resources() {
      return io.sluice.Resources.of("gpu", 1);
    }

    @Override
    public LocalTarget output() {
      return LocalTarget.of("out", "gpu-" + name);
    }

    @Override
    public void run(TaskContext context) throws Exception {
      long start = epochNanos();
      Thread.sleep(150);
      long end = epochNanos();
      java.nio.file.Files.writeString(java.nio.file.Path.of("gpu.log"), name + " " + start + " " + end + "\n",
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
      output().writeString(name);
    }

    private static long epochNanos() {
      java.time.Instant now = java.time.Instant.now();
      return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
  }

  // ---- endless: a requires() that always asks for new tasks ----

  /** Link n requires link n + 1, for ever. */
  record EndlessChain(long n) implements Task {
    @Override
    public List<? extends Task> requires() {
      return List.of(new EndlessChain(n + 1));
    }

    @Override
    public LocalTarget output() {
      return LocalTarget.of("out", "endless-" + n);
    }
  }

  /** Each node requires two of the level below, for ever: a tree ever wider and deeper. */
  record EndlessTree(int level, long n) implements Task {
    @Override
    public List<? extends Task> requires() {
      long twice = 2 * n % 1_000_000_007L;
      return List.of(new EndlessTree(level + 1, twice), new EndlessTree(level + 1, twice + 1));
    }

    @Override
    public LocalTarget output() {
      return LocalTarget.of("out", "tree-" + level + "-" + n);
    }
  }

  /** Prints events for the test to read; optionally marks that this process planned its run. */
  private record PrintingListener(boolean markPlanned) implements TaskListener {
    @Override
    public void graphBuilt(int total, int toRun) {
      System.out.println("graph total=" + total + " toRun=" + toRun);
      if (markPlanned) {
        Markers.create("planned-" + ProcessHandle.current().pid());
      }
    }

    @Override
    public void onEvent(TaskEvent event) {
      System.out.println("event " + event.kind() + " " + event.id()
          + (event.message().isEmpty() ? "" : " " + event.message()));
    }
  }

  /** Holds the run back until {@code processes} processes have built their graphs: all start at once. */
  private record StartTogether(int processes) implements TaskListener {
    @Override
    public void graphBuilt(int total, int toRun) {
      System.out.println("graph total=" + total + " toRun=" + toRun);
      Markers.create("planned-" + ProcessHandle.current().pid());
      try {
        Markers.await("planned-", processes);
      } catch (InterruptedException | IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  // ---- kill-during-write: SIGKILL half-way through writing an output ----

  /** Writes half its lines, marks {@code writing}, then waits to be killed (unless told not to). */
  record HalfWrittenOutput(@Param(significant = false) boolean blockMidWrite) implements Task {
    static final int LINES = 10_000;

    static String line(int i) {
      return "line " + i + "\n";
    }

    @Override
    public LocalTarget output() {
      return LocalTarget.of("out", "data.txt");
    }

    @Override
    public void run(TaskContext context) throws Exception {
      try (BufferedWriter out = output().openWriter()) {
        for (int i = 0; i < LINES; i++) {
          if (i == LINES / 2 && blockMidWrite) {
            out.flush();
            Markers.create("writing");
            Markers.block();
            throw new IllegalStateException("was not killed within " + BLOCK_LIMIT);
          }
          out.write(line(i));
        }
      }
    }
  }

  // ---- same-task-twice: two processes, one slow task ----

  /**
   * Logs each start to {@code runs.log}, waits until both processes have planned to run it (so
   * both saw it incomplete), then takes a second more before writing its output.
   */
  record SlowOnce() implements Task {
    @Override
    public LocalTarget output() {
      return LocalTarget.of("out", "slow.txt");
    }

    @Override
    public void run(TaskContext context) throws Exception {
      Files.writeString(Path.of("runs.log"), "started in process " + ProcessHandle.current().pid() + "\n",
          StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      Markers.await("planned-", 2);
      // Gives the other process time to reach the task's lock; the outcome must be the same
      // whether it waits there or comes after this commit.
      Thread.sleep(1000);
      output().writeString("slow result\n");
    }
  }

  // ---- interrupt: SIGTERM or SIGINT while a task runs ----

  /** Writes part of its output, marks {@code blocking}, and waits to be interrupted. */
  record Blocker() implements Task {
    @Override
    public LocalTarget output() {
      return LocalTarget.of("out", "blocker.txt");
    }

    @Override
    public int priority() {
      return 10;
    }

    @Override
    public void run(TaskContext context) throws Exception {
      try (BufferedWriter out = output().openWriter()) {
        out.write("first half\n");
        out.flush();
        Markers.create("blocking");
        try {
          Markers.block();
        } catch (InterruptedException e) {
          Markers.create("blocker-interrupted");
          throw e;
        }
        out.write("second half\n");
      }
    }
  }

  /** Needs the blocker: must never start once the run is interrupted. */
  record AfterBlocker() implements Task {
    @Override
    public List<Task> requires() {
      return List.of(new Blocker());
    }

    @Override
    public LocalTarget output() {
      return LocalTarget.of("out", "after-blocker.txt");
    }

    @Override
    public void run(TaskContext context) throws IOException {
      output().writeString("after\n");
    }
  }

  /** Ready from the start but queued behind the blocker (one worker): must never start either. */
  record Independent() implements Task {
    @Override
    public LocalTarget output() {
      return LocalTarget.of("out", "independent.txt");
    }

    @Override
    public void run(TaskContext context) throws IOException {
      output().writeString("independent\n");
    }
  }

  record InterruptRoot() implements WrapperTask {
    @Override
    public List<Task> requires() {
      return List.of(new AfterBlocker(), new Independent());
    }
  }

  // ---- stubborn: a task that ignores interrupts, ended by a second signal ----

  /** Writes part of its output, marks {@code blocking}, and shrugs off interrupts. */
  record Stubborn() implements Task {
    @Override
    public LocalTarget output() {
      return LocalTarget.of("out", "stubborn.txt");
    }

    @Override
    public void run(TaskContext context) throws Exception {
      try (BufferedWriter out = output().openWriter()) {
        out.write("first half\n");
        out.flush();
        Markers.create("blocking");
        long deadline = System.nanoTime() + BLOCK_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
          try {
            Markers.block();
          } catch (InterruptedException e) {
            Markers.create("ignored-interrupt");
          }
        }
        out.write("second half\n");
      }
    }
  }

  // ---- cooperative: a task that stops early, as asked, when the run is cancelled ----

  /**
   * Writes half its lines through {@link LocalTarget#writePath()} with plain {@code java.io}
   * (which interrupts do not stop), marks {@code writing}, then stops writing as soon as
   * {@link TaskContext#cancelled()} says so, returning normally as that method's comment asks.
   */
  record Cooperative() implements Task {
    @Override
    public LocalTarget output() {
      return LocalTarget.of("out", "cooperative.txt");
    }

    @Override
    public void run(TaskContext context) throws Exception {
      File file = output().writePath().toFile();
      try (Writer out = new BufferedWriter(new FileWriter(file, StandardCharsets.UTF_8))) {
        for (int i = 0; i < HalfWrittenOutput.LINES && !context.cancelled(); i++) {
          out.write(HalfWrittenOutput.line(i));
          if (i == HalfWrittenOutput.LINES / 2) {
            out.flush();
            Markers.create("writing");
            long deadline = System.nanoTime() + BLOCK_LIMIT.toNanos();
            while (!context.cancelled() && System.nanoTime() < deadline) {
              LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
          }
        }
      }
    }
  }

  // ---- failing-branch: one branch fails, the other goes on ----

  /** Writes part of its output, then fails; it runs first (priority). */
  record BrokenSource() implements Task {
    static final String ERROR = "sensor feed truncated at row 42";

    @Override
    public LocalTarget output() {
      return LocalTarget.of("out", "broken-source.txt");
    }

    @Override
    public int priority() {
      return 10;
    }

    @Override
    public void run(TaskContext context) throws IOException {
      try (BufferedWriter out = output().openWriter()) {
        out.write("row 1\n");
        throw new IOException(ERROR);
      }
    }
  }

  record BrokenReport() implements Task {
    @Override
    public List<Task> requires() {
      return List.of(new BrokenSource());
    }

    @Override
    public LocalTarget output() {
      return LocalTarget.of("out", "broken-report.txt");
    }

    @Override
    public void run(TaskContext context) throws IOException {
      output().writeString("broken report\n");
    }
  }

  record GoodSource() implements Task {
    @Override
    public LocalTarget output() {
      return LocalTarget.of("out", "good-source.txt");
    }

    @Override
    public void run(TaskContext context) throws IOException {
      output().writeString("good rows\n");
    }
  }

  record GoodReport() implements Task {
    @Override
    public List<Task> requires() {
      return List.of(new GoodSource());
    }

    @Override
    public LocalTarget output() {
      return LocalTarget.of("out", "good-report.txt");
    }

    @Override
    public void run(TaskContext context) throws IOException {
      output().writeString("report of " + context.<LocalTarget>input().readString());
    }
  }

  /** Needs both branches. */
  record FinalReport() implements Task {
    @Override
    public List<Task> requires() {
      return List.of(new GoodReport(), new BrokenReport());
    }

    @Override
    public LocalTarget output() {
      return LocalTarget.of("out", "final-report.txt");
    }

    @Override
    public void run(TaskContext context) throws IOException {
      output().writeString("final\n");
    }
  }

  // ---- missing-external and cycle: runs that cannot start ----

  record RawMeasurements() implements ExternalTask {
    static final String PATH = "data/raw-measurements.csv";

    @Override
    public LocalTarget output() {
      return LocalTarget.of(PATH);
    }
  }

  record CleanMeasurements() implements Task {
    @Override
    public List<Task> requires() {
      return List.of(new RawMeasurements());
    }

    @Override
    public LocalTarget output() {
      return LocalTarget.of("out", "clean-measurements.csv");
    }

    @Override
    public void run(TaskContext context) throws IOException {
      output().writeString(context.<LocalTarget>input().readString());
    }
  }

  record CycleA() implements Task {
    @Override
    public List<Task> requires() {
      return List.of(new CycleB());
    }

    @Override
    public LocalTarget output() {
      return LocalTarget.of("out", "a.txt");
    }

    @Override
    public void run(TaskContext context) throws IOException {
      output().writeString("a\n");
    }
  }

  record CycleB() implements Task {
    @Override
    public List<Task> requires() {
      return List.of(new CycleC());
    }

    @Override
    public LocalTarget output() {
      return LocalTarget.of("out", "b.txt");
    }

    @Override
    public void run(TaskContext context) throws IOException {
      output().writeString("b\n");
    }
  }

  record CycleC() implements Task {
    @Override
    public List<Task> requires() {
      return List.of(new CycleA());
    }

    @Override
    public LocalTarget output() {
      return LocalTarget.of("out", "c.txt");
    }

    @Override
    public void run(TaskContext context) throws IOException {
      output().writeString("c\n");
    }
  }
}
