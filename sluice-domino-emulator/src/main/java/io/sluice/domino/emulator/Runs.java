package io.sluice.domino.emulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The project's runs: each is queued for a slot of its hardware tier, then walks Preparing
 * (workspace from its commit), Running (its command as a local process in a session of its own),
 * Finishing (output commit from the workspace) to a final status. One thread per active run.
 */
final class Runs implements AutoCloseable {

  /** What a run's command is told about where it runs. */
  record Context(Supplier<String> apiHost, String apiKey, String owner, String project) {}

  private final ProjectStore store;
  private final Faults faults;
  private final Clock clock;
  private final Path runsDir;
  private final Context context;
  private final String defaultTier;
  private final TierSlots<RunRecord> slots;
  private final Map<String, RunRecord> runs = new ConcurrentHashMap<>();
  private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
    Thread thread = new Thread(runnable, "domino-emulator-run");
    thread.setDaemon(true);
    return thread;
  });
  private final AtomicLong sequence = new AtomicLong();
  private final long idPrefix = ThreadLocalRandom.current().nextLong(1L << 24);
  private boolean closed;

  Runs(ProjectStore store, Map<String, Integer> tiers, Faults faults, Clock clock, Path runsDir, Context context) {
    this.store = store;
    this.faults = faults;
    this.clock = clock;
    this.runsDir = runsDir;
    this.context = context;
    this.defaultTier = tiers.keySet().iterator().next();
    this.slots = new TierSlots<>(tiers);
  }

  /**
   * Starts a run, or queues it when its tier has no free slot.
   *
   * @param commitId the commit to run at; null for the head
   * @param tier the hardware tier's name; null for the first tier known
   */
  RunRecord submit(List<String> command, String commitId, String title, String tier) throws IOException {
    String tierName = tier == null ? defaultTier : tier;
    String commit = commitId == null ? store.head() : commitId;
    if (store.commit(commit).isEmpty()) {
      throw new ApiException(400, "Unknown commitId '" + commitId + "': give a commit of this project, or null for its head");
    }
    if (command.isEmpty()) {
      throw new ApiException(400, "The command is empty: give the program and its arguments, e.g. [\"main.py\", \"--x\"]");
    }
    String id = String.format("%08x%06x%010x", clock.millis() / 1000, idPrefix, sequence.incrementAndGet());
    Path directory = runsDir.resolve(id);
    boolean start;
    RunRecord run;
    synchronized (this) {
      if (!slots.knows(tierName)) {
        throw new ApiException(400, "Unknown hardware tier '" + tierName + "' (this emulator knows: "
            + String.join(", ", slots.names()) + "); start the emulator with --tier '" + tierName + "=N' to add it");
      }
      if (closed) {
        throw new ApiException(503, "The emulator is shutting down");
      }
      Files.createDirectories(directory);
      run = new RunRecord(id, title == null ? String.join(" ", command) : title, command, tierName, commit,
          clock.millis(), directory, faults.takeRunEnding().orElse(null));
      runs.put(id, run);
      start = slots.offer(tierName, run);
    }
    setupLog(run, "Queued for hardware tier '" + tierName + "' at commit " + commit);
    if (start) {
      threads.execute(() -> execute(run));
    }
    return run;
  }

  Optional<RunRecord> find(String id) {
    return Optional.ofNullable(runs.get(id));
  }

  /** Every run, the newest first. */
  List<RunRecord> newestFirst() {
    List<RunRecord> all = new ArrayList<>(runs.values());
    all.sort(Comparator.comparingLong((RunRecord r) -> r.queued).thenComparing(r -> r.id).reversed());
    return all;
  }

  /**
   * Stops a run: a queued one at once, a started one by ending its processes. Ended runs are left
   * as they are. Returns the run's status right after the request (StopRequested for a started run).
   */
  Status stop(RunRecord run) {
    boolean wasWaiting;
    synchronized (this) {
      wasWaiting = slots.withdraw(run.tier, run);
    }
    ProcessSession session = run.requestStop();
    if (wasWaiting) {
      run.stopping();
      setupLog(run, "Stopped before it started");
      run.finish(Status.STOPPED, run.commitId, clock.millis());
      return Status.STOPPED;
    }
    Status requested = run.status();
    if (session != null) {
      threads.execute(() -> {
        run.stopping();
        session.kill();
      });
    }
    return requested;
  }

  private void execute(RunRecord run) {
    try {
      runToTheEnd(run);
    } catch (IOException | RuntimeException e) {
      // The emulator's own failure (disk full, a bug): Domino calls that a system Error.
      setupLog(run, "System error: " + e);
      run.finish(Status.ERROR, run.commitId, clock.millis());
    } finally {
      Optional<RunRecord> next;
      synchronized (this) {
        next = closed ? Optional.empty() : slots.release(run.tier);
      }
      next.ifPresent(waiting -> threads.execute(() -> execute(waiting)));
    }
  }

  private void runToTheEnd(RunRecord run) throws IOException {
    run.advance(Status.PREPARING);
    Path workspace = run.workspace();
    Files.createDirectories(workspace);
    store.checkout(store.commit(run.commitId).orElseThrow(), workspace);
    setupLog(run, "Workspace prepared from commit " + run.commitId + " in " + workspace);
    Integer exit = null;
    if (!run.stopRequested()) {
      exit = runCommand(run, workspace);
    }
    run.commandEnded(exit);
    Commit output = store.commitDirectory(workspace, run.commitId);
    setupLog(run, "Output commit " + output.id());
    Status end = run.imposedEnd != null ? run.imposedEnd
        : run.stopRequested() ? Status.STOPPED
        : exit != null && exit == 0 ? Status.SUCCEEDED : Status.FAILED;
    run.finish(end, output.id(), clock.millis());
    deleteTree(workspace);
  }

  /** Runs the command to its end; its exit code, or 127 when it cannot start (as a shell says). */
  private Integer runCommand(RunRecord run, Path workspace) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(argv(run.command)).directory(workspace.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(run.stdoutFile().toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    builder.environment().clear();
    builder.environment().putAll(environment(run, workspace));
    ProcessSession session;
    try {
      session = ProcessSession.start(builder);
    } catch (IOException e) {
      Files.writeString(run.stdoutFile(), e.getMessage() + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      return 127;
    }
    run.markStarted(clock.millis());
    if (!run.attach(session)) {
      run.stopping(); // the stop came while the process started: no one else will end it
      session.kill();
    }
    try {
      return session.process().waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } finally {
      session.kill(); // what the command left running in the background ends with the run
    }
  }

  /** The command as given, except that a script is run by its interpreter, as Domino does. */
  static List<String> argv(List<String> command) {
    List<String> argv = new ArrayList<>();
    String first = command.get(0);
    if (first.endsWith(".sh")) {
      argv.add("sh");
    } else if (first.endsWith(".py")) {
      argv.add("python3");
    }
    argv.addAll(command);
    return argv;
  }

  private Map<String, String> environment(RunRecord run, Path workspace) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String name : List.of("PATH", "HOME", "LANG", "JAVA_HOME")) {
      String value = System.getenv(name);
      if (value != null) {
        env.put(name, value);
      }
    }
    // The emulator's own JVM, where the environment names none: a Java command finds a JDK.
    env.putIfAbsent("JAVA_HOME", System.getProperty("java.home"));
    env.put("DOMINO_API_HOST", context.apiHost().get());
    env.put("DOMINO_USER_API_KEY", context.apiKey());
    env.put("DOMINO_PROJECT_OWNER", context.owner());
    env.put("DOMINO_PROJECT_NAME", context.project());
    env.put("DOMINO_RUN_ID", run.id);
    env.put("DOMINO_HARDWARE_TIER_NAME", run.tier);
    env.put("DOMINO_WORKING_DIR", workspace.toString());
    return env;
  }

  private void setupLog(RunRecord run, String line) {
    try {
      Files.writeString(run.setupFile(), line + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      // the setup log is a courtesy; the run goes on without it
    }
  }

  /** Stops every run and waits for their threads; the runs end as Stopped. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    for (RunRecord run : runs.values()) {
      stop(run);
    }
    threads.shutdown();
    try {
      threads.awaitTermination(ProcessSession.GRACE.toSeconds() + 10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(path);
      }
    }
  }
}
