package io.sluice.internal;

import io.sluice.LocalTarget;
import io.sluice.RetryPolicy;
import io.sluice.TaskEvent;
import io.sluice.TaskStatus;
import io.sluice.Target;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one task to its outcome: takes its cross-process lock, checks it was not completed
 * meanwhile, then tries it per its retry policy, each attempt in an output transaction and
 * under its timeout.
 */
final class Attempts {

  private static final Logger LOG = LoggerFactory.getLogger(Attempts.class);

  private final Engine engine;
  private final Node node;

  Attempts(Engine engine, Node node) {
    this.engine = engine;
    this.node = node;
  }

  Engine.Outcome run() {
    EngineSettings settings = engine.settings();
    TaskLocks.Held held = null;
    try {
      held = engine.locks().acquire(node.id, settings.lockTimeout());
      if (held == null) {
        return new Engine.Outcome(TaskStatus.ALREADY_RUNNING, "another process kept running " + node.id
            + " for longer than the lock timeout (" + settings.lockTimeout() + ")", null);
      }
      // Another process may have completed the task meanwhile; but when something it requires
      // ran in this run, its outputs are stale whatever they look like, so it runs.
      if (!node.forced && !anyDependencyRan() && node.task.complete()) {
        return new Engine.Outcome(TaskStatus.COMPLETE,
            held.waited() ? "completed by another process while this run waited" : "completed meanwhile", null);
      }
      int attempt = 0;
      while (true) {
        attempt++;
        node.attempts = attempt;
        engine.events().emit(TaskEvent.Kind.STARTED, node, attempt, Duration.ZERO, "", null);
        Throwable error = attempt(attempt);
        if (error == null) {
          return new Engine.Outcome(TaskStatus.DONE, "", null);
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
    } catch (IOException | RuntimeException e) {
      return new Engine.Outcome(TaskStatus.FAILED, GraphBuilder.describe(e), e);
    } finally {
      if (held != null) {
        held.close();
      }
    }
  }

  private boolean anyDependencyRan() {
    for (Node dep : node.deps) {
      if (dep.status == TaskStatus.DONE) {
        return true;
      }
    }
    return false;
  }

  /** One attempt; returns its error, or null when its outputs are in place. */
  private Throwable attempt(int attempt) {
    OutputTransaction transaction = OutputTransaction.forTask(node.id.toString(), node.task.outputs(),
        engine.settings().fsync(), engine.runOutputs().leftovers());
    RunningOutputs.Registration registration = null;
    AtomicBoolean timedOut = new AtomicBoolean();
    Optional<Duration> timeout = node.task.timeout();
    ScheduledFuture<?> watchdog = timeout
        .map(limit -> engine.interruptAfter(limit, Thread.currentThread(), () -> timedOut.set(true)))
        .orElse(null);
    try {
      registration = RunningOutputs.register(transaction);
      node.task.run(new RunContext(engine, node, attempt, timedOut, transaction));
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
      for (Target output : node.task.outputs()) {
        if (!(output instanceof LocalTarget) && !output.exists()) {
          throw new IllegalStateException("run() finished without writing its output " + output);
        }
      }
      transaction.commit();
      return null;
    } catch (Throwable e) {
      stop(watchdog);
      transaction.abort();
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
    }
  }

  private static void stop(ScheduledFuture<?> watchdog) {
    if (watchdog != null) {
      watchdog.cancel(false);
    }
  }

  /** An attempt that ran past its task's timeout. */
  static final class TaskTimeoutException extends Exception {
    TaskTimeoutException(Duration timeout) {
      super("timed out after " + timeout.toString().substring(2).toLowerCase());
    }
  }
}
