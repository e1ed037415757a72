package io.sluice.internal;

import io.sluice.LocalTarget;
import io.sluice.RetryPolicy;
import io.sluice.TaskClaims;
import io.sluice.TaskEvent;
import io.sluice.TaskStatus;
import io.sluice.Target;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one task to its outcome: takes its cross-process lock, checks it was not completed
 * meanwhile and that what it requires is still there, then tries it per its retry policy, each
 * attempt in an output transaction and under its timeout (past which, and a grace, the attempt
 * is abandoned).
 */
final class Attempts {

  private static final Logger LOG = LoggerFactory.getLogger(Attempts.class);

  private static final int PARALLEL_CHECK = 1024;
  private static final int RUNNING = 0;
  private static final int ENDED = 1;
  private static final int ABANDONED = 2;

  private final Engine engine;
  private final Node node;
  /** The task's lock and temporary files, when a worker with nothing to run made them ahead. */
  private final Ahead.Prepared prepared;
  private final AtomicBoolean lockReleased = new AtomicBoolean();
  private volatile TaskLocks.Held held;
  // The units of limited resources the task holds against the other runs of the project: released
  // when its attempts end, or with the lock when it is abandoned.
  private volatile SharedResources.Held units;
  private volatile TaskClaims.Claim claim;
  private volatile boolean abandoned;
  /** The claim was lost before the commit: no retry, the new owner runs the task. */
  private volatile boolean claimLost;
  // The outputs the last attempt committed, when their hashes are known from what was written (see Staleness).
  private java.util.Collection<java.nio.file.Path> writtenOutputs;

  Attempts(Engine engine, Node node, Ahead.Prepared prepared) {
    this.engine = engine;
    this.node = node;
    this.prepared = prepared;
    this.held = prepared == null ? null : prepared.held();
  }

  /**
   * The task's lock: at once when nobody holds it, else after the engine gave up the locks this
   * run holds for tasks that are not running ({@link Engine#acquireWaiting}).
   */
  private TaskLocks.Held acquireLock(Duration timeout) throws java.io.IOException, InterruptedException {
    TaskLocks.Held held = engine.locks().acquire(node.id, Duration.ZERO);
    if (held != null || timeout.isZero()) {
      return held;
    }
    TaskLocks.Held waited = engine.acquireWaiting(node.id, timeout);
    if (waited == null) {
      return null;
    }
    // Another holder had it a moment ago, even if it let go before the wait began: the task is
    // then checked for having been completed meanwhile, as after any wait.
    return new TaskLocks.Held() {
      @Override
      public boolean waited() {
        return true;
      }

      @Override
      public void close() {
        waited.close();
      }
    };
  }

  /**
   * Runs the task to its outcome. Its lock is still held when this returns: the engine releases
   * it ({@link #releaseLock()}), or has a worker with nothing to run release it.
   */
  Engine.Outcome run() {
    EngineSettings settings = engine.settings();
    try {
      TaskLocks.Held held = prepared != null ? prepared.held() : acquireLock(settings.lockTimeout());
      if (held == null) {
        return new Engine.Outcome(TaskStatus.ALREADY_RUNNING, "another process kept running " + node.id
            + " for longer than the lock timeout (" + settings.lockTimeout() + ")", null);
      }
      this.held = held;
      TaskClaims.Claim claim = settings.claims().claim(node.id, settings.lockTimeout(), engine::readyNext);
      if (claim == null) {
        return new Engine.Outcome(TaskStatus.ALREADY_RUNNING, "another machine kept running " + node.id
            + " for longer than the lock timeout (" + settings.lockTimeout() + ")", null);
      }
      this.claim = claim;
      // Another process may have completed the task meanwhile (a forced task runs anyway). Not
      // when no other run can have: the graph's check still holds, and a file status per task
      // is spared. A lock that had to wait had another holder, and a task's own complete() may
      // look beyond its outputs: then it is asked again anyway.
      boolean othersMayHave = held.waited() || claim.waited() || !engine.aloneSinceGraphBuilt()
          || !CompletedMeanwhile.onlyRunsCanComplete(node.task);
      if (othersMayHave) {
        node.outputsMissing = false;  // another may have made them: never removed after a failure then
      }
      if (!node.forced && othersMayHave && CompletedMeanwhile.check(node) && engine.staleness().upToDateNow(node)) {
        return new Engine.Outcome(TaskStatus.COMPLETE, held.waited() || claim.waited()
            ? "completed by another process while this run waited" : "completed meanwhile", null);
      }
      String unfulfilled = unfulfilledDependency();
      if (unfulfilled != null) {
        return new Engine.Outcome(TaskStatus.FAILED, unfulfilled, null);
      }
      Engine.Outcome noUnits = acquireUnits(settings.lockTimeout());
      if (noUnits != null) {
        return noUnits;
      }
      String builtFrom = engine.staleness().beforeRun(node);
      int attempt = 0;
      while (true) {
        attempt++;
        node.attempts = attempt;
        // Why it runs, for reports: the first attempt only, retries say why themselves.
        engine.events().emitStarted(node, attempt);
        Throwable error = attempt(attempt);
        if (abandoned || claimLost) {
          return new Engine.Outcome(TaskStatus.FAILED, GraphBuilder.describe(error), error);
        }
        if (error == null) {
          engine.staleness().committed(node, builtFrom, writtenOutputs);
          return Engine.Outcome.DONE;
        }
        if (engine.cancelled()) {
          return new Engine.Outcome(TaskStatus.INTERRUPTED, "interrupted while running", error);
        }
        RetryPolicy policy = node.task.retryPolicy();
        String reason = GraphBuilder.describe(error);
        if (!policy.retries(error, attempt)) {
          LOG.debug("{} failed", node.id, error);
          String tries = attempt > 1 ? " (after " + attempt + " attempts)" : "";
          return new Engine.Outcome(TaskStatus.FAILED, reason + tries, error);
        }
        Duration delay = policy.delayAfter(attempt, settings.random());
        engine.events().emit(TaskEvent.Kind.RETRYING, node, attempt, Duration.ZERO,
            reason + "; attempt " + (attempt + 1) + " of " + policy.maxAttempts() + " in " + delay.toMillis() + " ms",
            error);
        settings.sleeper().sleep(delay);
        if (engine.cancelled()) {
          return new Engine.Outcome(TaskStatus.INTERRUPTED, "interrupted between attempts", error);
        }
      }
    } catch (InterruptedException e) {
      return new Engine.Outcome(TaskStatus.INTERRUPTED, "interrupted", e);
    } catch (Throwable e) {
      return new Engine.Outcome(TaskStatus.FAILED, GraphBuilder.describe(e), e);
    } finally {
      if (prepared != null) {
        OutputTransaction.discardOffered(prepared.temps());  // those no attempt took over
      }
      // Now, not with the lock, which the engine may release later: the next task, of this run
      // or another, may be waiting for the units.
      SharedResources.Held units = this.units;
      if (units != null) {
        units.close();
      }
    }
  }

  /**
   * Once only, from whichever thread gets here first: the engine (or a worker it handed the
   * release to) once the outcome is recorded, or the timer thread abandoning the attempt.
   */
  void releaseLock() {
    TaskLocks.Held held = this.held;
    if (held != null && lockReleased.compareAndSet(false, true)) {
      TaskClaims.Claim claim = this.claim;
      SharedResources.Held units = this.units;
      try {
        if (units != null) {
          units.close();
        }
        if (claim != null) {
          claim.release();
        }
      } finally {
        held.close();
      }
    }
  }

  /**
   * The units of limited resources the task needs, held against the other runs of the project
   * (see {@link SharedResources}): at once, or after saying that it waits for them. Null when
   * held; else the outcome of a task that could not have them.
   */
  private Engine.Outcome acquireUnits(Duration timeout) throws java.io.IOException, InterruptedException {
    SharedResources shared = engine.sharedResources();
    if (shared == null || !shared.limits(node.resources)) {
      return null;
    }
    SharedResources.Held units = shared.acquire(node.resources, Duration.ZERO, () -> false);
    if (units == null) {
      engine.note(node, "waiting for " + shown(node.resources) + ", which other runs of the project hold", null);
      java.time.Instant since = engine.settings().clock().instant();
      units = shared.acquire(node.resources, timeout, engine::cancelled);
      if (units != null) {
        // The note the summary keeps: how long it waited, not that it waits.
        long waited = Duration.between(since, engine.settings().clock().instant()).toMillis();
        engine.note(node, String.format(java.util.Locale.ROOT, "waited %.1f s for %s, which other runs of the project held",
            waited / 1000.0, shown(node.resources)), null);
      }
    }
    if (units == null) {
      return engine.cancelled() ? new Engine.Outcome(TaskStatus.INTERRUPTED, "interrupted while waiting for resources", null)
          : new Engine.Outcome(TaskStatus.FAILED, "other runs of the project held " + shown(node.resources)
              + " for longer than the lock timeout (" + timeout + ")", null);
    }
    this.units = units;
    if (lockReleased.get()) {
      units.close();  // abandoned meanwhile: released with the lock, which came first
    }
    return null;
  }

  /** Releases the units the task holds while it waits for tasks it requires as it runs, which may need them. */
  void lendUnits() {
    SharedResources.Held lent = units;
    units = null;
    if (lent != null) {
      lent.close();
    }
  }

  /**
   * Takes the units back once the tasks waited for are done, waiting for other runs of the
   * project if they took them meanwhile.
   *
   * @throws InterruptedException when the run is interrupted meanwhile
   * @throws IllegalStateException when other runs held them past the lock timeout: the task fails
   */
  void takeBackUnits() throws InterruptedException {
    Engine.Outcome failed;
    try {
      failed = acquireUnits(engine.settings().lockTimeout());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("could not take back the units of " + shown(node.resources), e);
    }
    if (failed != null) {
      if (failed.status() == TaskStatus.INTERRUPTED) {
        throw new InterruptedException(failed.reason());
      }
      throw new IllegalStateException(failed.reason());
    }
  }

  private static String shown(io.sluice.Resources resources) {
    return resources.amounts().entrySet().stream().filter(e -> e.getValue() > 0).map(e -> e.getKey() + "=" + e.getValue())
        .collect(java.util.stream.Collectors.joining(", "));
  }

  /**
   * A dependency found complete when the graph was built whose output is gone now (deleted
   * since): the task would run on missing input. Those that ran in this run are not checked,
   * their outputs have just been committed. A wide fan-in is checked on two threads or more,
   * against one listing of each directory holding many of the outputs: one file status each
   * adds up for a task requiring 100,000.
   */
  private String unfulfilledDependency() {
    List<Node> deps = node.deps;
    if (deps.size() < PARALLEL_CHECK) {
      for (Node dep : deps) {
        String missing = dep.status == TaskStatus.COMPLETE ? missingOutput(dep) : null;
        if (missing != null) {
          return missing;
        }
      }
      return null;
    }
    // A fan-in's inputs usually share a directory: listed once, it answers for all of them; by
    // the graph's listing still, when nothing was added to it or removed from it since.
    PresentFiles present = new PresentFiles(engine.staleness().listingsOfTheBuild());
    String missing = deps.parallelStream().filter(dep -> dep.status == TaskStatus.COMPLETE)
        .map(dep -> missingOutput(dep, present)).filter(Objects::nonNull).findFirst().orElse(null);
    // The task's output usually goes to the same directory: its sweep for leftovers reuses the listing.
    present.sweepListed(engine.runOutputs().leftovers());
    return missing;
  }

  private static String missingOutput(Node dep) {
    return missingOutput(dep, null);
  }

  private static String missingOutput(Node dep, PresentFiles present) {
    // Found in a listing of the build that these checks take again: its outputs need not even be made.
    if (present != null && present.stillListed(dep.outputFoundIn)) {
      return null;
    }
    for (Target output : dep.task.outputs()) {
      boolean exists = present != null && output instanceof LocalTarget local ? present.exists(local.path())
          : output.exists();
      if (!exists) {
        return "unfulfilled dependency: " + dep.id + " was found complete, but its output " + output
            + " is missing now (deleted meanwhile?); run again to rebuild it";
      }
    }
    return null;
  }

  /** One attempt; returns its error, or null when its outputs are in place. */
  private Throwable attempt(int attempt) {
    List<? extends Target> outputs = node.task.outputs();
    OutputTransaction transaction = OutputTransaction.forTask(node.id, outputs, engine.settings().fsync(),
        engine.runOutputs().leftovers());
    if (prepared != null && attempt == 1) {
      transaction.offer(prepared.temps());
    }
    engine.staleness().attemptStarts(node, transaction);
    RunningOutputs.Registration registration = null;
    AtomicBoolean timedOut = new AtomicBoolean();
    // RUNNING until the attempt ends or, past its timeout and grace, is abandoned: whichever
    // comes first wins, so an abandoned attempt can never commit.
    AtomicInteger state = new AtomicInteger(RUNNING);
    Optional<Duration> timeout = Optional.empty();
    ScheduledFuture<?> watchdog = null;
    try {
      registration = RunningOutputs.register(transaction);
      timeout = node.task.timeout();
      Thread thread = Thread.currentThread();
      watchdog = timeout
          .map(limit -> engine.interruptAfter(limit, thread, () -> {
            timedOut.set(true);
            engine.after(engine.settings().timeoutGrace(), () -> abandon(state, transaction, limit, thread));
          }))
          .orElse(null);
      node.task.run(new RunContext(engine, node, attempt, timedOut, transaction, this));
      if (!state.compareAndSet(RUNNING, ENDED)) {
        return new TaskTimeoutException(timeout.get());
      }
      stop(watchdog);
      if (timedOut.get()) {
        throw new TaskTimeoutException(timeout.get());
      }
      // A task that stopped early because the run was cancelled may return normally with half
      // its output written: the engine cannot tell it from a finished one, so it keeps nothing.
      if (engine.cancelled()) {
        throw new InterruptedException("the run was interrupted before " + node.id + " finished");
      }
      // Other kinds of target are checked before anything is renamed: all or nothing.
      for (Target output : outputs) {
        if (!(output instanceof LocalTarget) && !output.exists()) {
          throw new IllegalStateException("run() finished without writing its output " + output);
        }
      }
      try {
        claim.checkStillOwned();
      } catch (java.io.IOException e) {
        claimLost = true;
        throw e;
      }
      transaction.commit();
      writtenOutputs = engine.staleness().outputsCommitted(node, transaction);
      return null;
    } catch (Throwable e) {
      state.compareAndSet(RUNNING, ENDED);
      stop(watchdog);
      transaction.abort();
      // Only while the task is still this run's: abandoned past its timeout, or its claim taken
      // over, another run may since have put the outputs in place.
      if (node.outputsMissing && !claimLost && state.get() != ABANDONED) {
        List<Path> direct = DirectWrites.remove(outputs);
        if (!direct.isEmpty()) {
          e = DirectWrites.explain(e, direct, node.id);
        }
      }
      if (timedOut.get()) {
        Thread.interrupted();
        return new TaskTimeoutException(timeout.get());
      }
      return e;
    } finally {
      // After the abort above, and for an aborted attempt only when the run ends: a late write
      // from a thread of the task must find the aborted transaction (and fail), not land as a
      // standalone write.
      if (registration != null) {
        engine.runOutputs().release(registration, transaction);
      }
      if (state.get() == ABANDONED) {
        RunningOutputs.returned(Thread.currentThread());
      }
    }
  }

  /**
   * Gives up on an attempt still running a grace period after its timeout's interrupt: its
   * output is discarded, its lock released, and the engine moves on without its thread.
   */
  private void abandon(AtomicInteger state, OutputTransaction transaction, Duration timeout, Thread thread) {
    if (!state.compareAndSet(RUNNING, ABANDONED)) {
      return;
    }
    abandoned = true;
    transaction.abort();
    RunningOutputs.abandoned(thread, transaction);
    releaseLock();
    Duration grace = engine.settings().timeoutGrace();
    TaskTimeoutException error = new TaskTimeoutException(timeout);
    engine.abandon(node, error.getMessage() + " and did not stop within " + TaskTimeoutException.text(grace)
        + " of being interrupted; its thread was abandoned and anything it writes from now on is discarded", error);
  }

  private static void stop(ScheduledFuture<?> watchdog) {
    if (watchdog != null) {
      watchdog.cancel(false);
    }
  }

  /** An attempt that ran past its task's timeout. */
  static final class TaskTimeoutException extends Exception {
    TaskTimeoutException(Duration timeout) {
      super("timed out after " + text(timeout));
    }

    static String text(Duration duration) {
      return duration.toString().substring(2).toLowerCase();
    }
  }
}
