package io.sluice;

import io.sluice.internal.Engine;
import io.sluice.internal.EngineSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Runs pipelines in this process: builds the graph of the given tasks, then runs what is not
 * complete with N workers.
 *
 * <pre>{@code
 * RunResult result = Sluice.builder().workers(2).build().run(new Predict());
 * System.exit(result.exitCode().code());
 * }</pre>
 */
public final class Sluice {

  private final EngineSettings settings;
  private volatile Engine current;
  private volatile boolean cancelled;

  private Sluice(EngineSettings settings) {
    this.settings = settings;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Runs the tasks and what they need; never throws for a task's failure: see the result. */
  public RunResult run(Task... roots) {
    return run(List.of(roots));
  }

  /** Runs the tasks and what they need; never throws for a task's failure: see the result. */
  public RunResult run(List<? extends Task> roots) {
    Engine engine = new Engine(settings);
    current = engine;
    if (cancelled) {
      engine.cancel();
    }
    return engine.run(roots);
  }

  /**
   * Builds the graph without running anything.
   *
   * @param expandComplete also expand what complete tasks require, to show the whole tree
   * @throws SchedulingException on a cycle
   */
  public TaskGraph graph(List<? extends Task> roots, boolean expandComplete) throws InterruptedException {
    return Engine.plan(roots, settings, expandComplete);
  }

  /** Stops the current run: nothing new starts, running tasks are interrupted. */
  public void cancel() {
    cancelled = true;
    Engine engine = current;
    if (engine != null) {
      engine.cancel();
    }
  }

  /** Configures a {@link Sluice}. Defaults: one worker, no limits, state under {@code .sluice}. */
  public static final class Builder {
    private int workers = 1;
    private final Map<String, Integer> resourceLimits = new HashMap<>();
    private final List<TaskListener> listeners = new ArrayList<>();
    private boolean force;
    private Set<String> forceFamilies = Set.of();
    private boolean dryRun;
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.system();
    private Random random = new Random();
    private Path stateDir = Path.of(".sluice");
    private Duration lockTimeout = Duration.ofHours(24);
    private boolean fsync;
    private Settings settings = Settings.empty();
    private Duration timeoutGrace = EngineSettings.DEFAULT_TIMEOUT_GRACE;
    private ParameterValues parameterValues = ParameterValues.none();
    private TaskClaims claims = TaskClaims.none();

    private Builder() {}

    /** How many tasks run at once. */
    public Builder workers(int workers) {
      if (workers < 1) {
        throw new IllegalArgumentException("workers is " + workers + "; it must be 1 or more");
      }
      this.workers = workers;
      return this;
    }

    /** Totals of named resources (from {@code [resources]} in sluice.toml). */
    public Builder resourceLimits(Map<String, Integer> limits) {
      limits.forEach((name, limit) -> {
        if (limit == null || limit < 0) {
          throw new IllegalArgumentException("resource limit " + name + "=" + limit + " must be 0 or more");
        }
      });
      resourceLimits.putAll(limits);
      return this;
    }

    public Builder listener(TaskListener listener) {
      listeners.add(listener);
      return this;
    }

    /** Re-run the root tasks although they are complete. */
    public Builder force(boolean force) {
      this.force = force;
      return this;
    }

    /** Re-run every task of these families in the graph, and everything downstream of them. */
    public Builder forceUpstream(Set<String> families) {
      this.forceFamilies = Set.copyOf(families);
      return this;
    }

    /** Build the graph and report what would run, without running it. */
    public Builder dryRun(boolean dryRun) {
      this.dryRun = dryRun;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** What waits between retries. */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = sleeper;
      return this;
    }

    /** The source of backoff jitter; seed it for repeatable runs. */
    public Builder random(Random random) {
      this.random = random;
      return this;
    }

    /** Where locks and per-task logs live; {@code .sluice} in the working directory by default. */
    public Builder stateDir(Path stateDir) {
      this.stateDir = stateDir;
      return this;
    }

    /** How long to wait for another process running the same task before giving up on it. */
    public Builder lockTimeout(Duration lockTimeout) {
      this.lockTimeout = lockTimeout;
      return this;
    }

    /**
     * How long a task past its {@link Task#timeout()} has, once interrupted, to stop: after that
     * it fails, its lock is released, its output discarded and its thread left behind.
     */
    public Builder timeoutGrace(Duration grace) {
      if (grace == null || grace.isNegative()) {
        throw new IllegalArgumentException("timeoutGrace is " + grace + "; it must be zero or more");
      }
      this.timeoutGrace = grace;
      return this;
    }

    /**
     * Durability against power loss: fsync every output and its directory. Off by default; applies
     * to this instance's runs only.
     */
    public Builder fsync(boolean fsync) {
      this.fsync = fsync;
      return this;
    }

    /** The project's settings, for tasks that read them through {@link TaskContext#settings()}. */
    public Builder settings(Settings settings) {
      this.settings = settings;
      return this;
    }

    /**
     * Parameter values from outside the code (the command line, sluice.toml) for this instance's
     * runs: {@link Tasks#create} called from a task's {@code requires()} or {@code run()} during
     * a run of this instance takes them. None by default: tasks take their defaults.
     */
    public Builder parameterValues(ParameterValues values) {
      this.parameterValues = java.util.Objects.requireNonNull(values, "parameterValues");
      return this;
    }

    /**
     * Where tasks are claimed before they run, for once-only across machines (a shared database's
     * leases); {@link TaskClaims#none()} by default: the local file locks alone.
     */
    public Builder claims(TaskClaims claims) {
      this.claims = java.util.Objects.requireNonNull(claims, "claims");
      return this;
    }

    public Sluice build() {
      int checkers = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
      return new Sluice(new EngineSettings(workers, resourceLimits, listeners, force, forceFamilies, dryRun,
          clock, sleeper, random, stateDir, lockTimeout, checkers, settings, timeoutGrace, fsync, parameterValues,
          claims));
    }
  }
}
