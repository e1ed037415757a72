package io.sluice.internal;

import io.sluice.RemoteRunDetails;
import io.sluice.Target;
import io.sluice.Task;
import io.sluice.TaskContext;
import io.sluice.TaskId;
import io.sluice.TaskStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link TaskContext} of one attempt. */
final class RunContext implements TaskContext {

  private final Engine engine;
  private final Node node;
  private final int attempt;
  private final AtomicBoolean timedOut;
  private final OutputTransaction transaction;
  private final Attempts attempts;

  RunContext(Engine engine, Node node, int attempt, AtomicBoolean timedOut, OutputTransaction transaction,
      Attempts attempts) {
    this.engine = engine;
    this.node = node;
    this.attempt = attempt;
    this.timedOut = timedOut;
    this.transaction = transaction;
    this.attempts = attempts;
  }

  @Override
  public TaskId id() {
    return node.id;
  }

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public List<Target> inputs() {
    List<Target> inputs = new ArrayList<>();
    for (Node dep : node.deps) {
      inputs.addAll(dep.task.outputs());
    }
    return inputs;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T extends Target> T input() {
    List<Target> inputs = inputs();
    if (node.deps.size() != 1 || inputs.size() != 1) {
      throw new IllegalStateException(node.id + " has " + inputs.size() + " inputs from " + node.deps.size()
          + " required tasks; input() needs exactly one: use input(task) or inputs()");
    }
    return (T) inputs.get(0);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T extends Target> T input(Task required) {
    TaskId wanted = required.id();
    for (Node dep : node.deps) {
      if (dep.id.equals(wanted)) {
        List<? extends Target> outputs = dep.task.outputs();
        if (outputs.size() != 1) {
          throw new IllegalStateException(wanted + " has " + outputs.size() + " outputs; use its outputs()");
        }
        return (T) outputs.get(0);
      }
    }
    throw new IllegalArgumentException(node.id + " does not require " + wanted);
  }

  @Override
  public <T extends Target> T input(Class<? extends Task> requiredType) {
    Node found = null;
    for (Node dep : node.deps) {
      if (requiredType.isInstance(dep.task)) {
        if (found != null && !found.id.equals(dep.id)) {
          throw new IllegalStateException(node.id + " requires several " + requiredType.getSimpleName()
              + " tasks; use input(task)");
        }
        found = dep;
      }
    }
    if (found == null) {
      throw new IllegalArgumentException(node.id + " does not require a " + requiredType.getSimpleName());
    }
    return input(found.task);
  }

  @Override
  public List<Target> require(List<? extends Task> tasks) throws InterruptedException {
    // While it waits, what it holds of limited resources goes to the tasks it waits for, as its
    // worker slot does: they may need the same units.
    attempts.lendUnits();
    List<Node> deps = engine.requireDynamic(node, tasks);
    attempts.takeBackUnits();
    List<Target> outputs = new ArrayList<>();
    for (Node dep : deps) {
      if (!dep.status.satisfied()) {
        throw new DependencyFailedException(dep.id + (dep.status == TaskStatus.FAILED ? " failed" : " " + dep.status.label())
            + (dep.reason == null || dep.reason.isEmpty() ? "" : ": " + dep.reason));
      }
      outputs.addAll(dep.task.outputs());
    }
    return outputs;
  }

  @Override
  public Path logFile() {
    return engine.settings().logDir().resolve(LogFiles.name(node.id));
  }

  @Override
  public Logger log() {
    return LoggerFactory.getLogger("sluice.task." + node.id.family());
  }

  @Override
  public io.sluice.Settings settings() {
    return engine.settings().projectSettings();
  }

  @Override
  public <T> T shared(Class<T> type, java.util.function.Function<io.sluice.Settings, ? extends T> create) {
    return engine.shared().shared(type, create);
  }

  @Override
  public void note(String message) {
    engine.note(node, message, null);
  }

  @Override
  public void note(String message, RemoteRunDetails remote) {
    engine.note(node, message, remote);
  }

  @Override
  public io.sluice.OutputWrites outputWrites() {
    return transaction;
  }

  @Override
  public boolean cancelled() {
    return engine.cancelled() || timedOut.get() || Thread.currentThread().isInterrupted();
  }

  /** A dynamic dependency did not succeed. */
  static final class DependencyFailedException extends RuntimeException {
    DependencyFailedException(String message) {
      super("dynamic dependency " + message);
    }
  }
}
