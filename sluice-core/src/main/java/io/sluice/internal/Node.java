package io.sluice.internal;

import io.sluice.Resources;
import io.sluice.Task;
import io.sluice.TaskId;
import io.sluice.TaskStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A task in the graph, with its scheduling state (guarded by the engine's lock). */
final class Node {
  final Task task;
  final TaskId id;
  final int seq;

  // Set by the graph builder, once.
  volatile boolean complete;
  volatile boolean expanded;
  volatile String buildError;
  volatile List<Node> deps = List.of();
  /** Why it must run (empty when it need not), in words for the user. */
  volatile List<String> why = List.of();
  /** The policy that judged it, or null for a task judged by what it requires alone. */
  volatile io.sluice.UpToDate policy;
  /** Whether it is out of date too when something it requires will run. */
  volatile boolean followsUpstream;
  private final List<Node> dependents = new ArrayList<>(1);

  // Scheduling state.
  boolean forced;
  /** The highest priority among this task and those waiting for it, transitively. */
  int priority = Integer.MIN_VALUE;
  /** Whether it waits in the scheduler's ready queue. */
  boolean queued;
  /** Running, but waiting for dynamic dependencies without holding its resources. */
  boolean suspended;

  // Read from the task once, before it is scheduled (see readDeclarations).
  Resources resources = Resources.none();
  int ownPriority;
  String outputsText = "";
  boolean scheduled;
  int pendingDeps;
  TaskStatus status = TaskStatus.PENDING;
  String reason;
  Throwable error;
  volatile String note;
  int attempts;
  Instant started;
  Instant finished;
  Thread thread;
  /** The wait the worker running this task stands in for, or null for a regular worker. */
  DynamicRequirements.Wait standInFor;
  /** Given up on past its timeout: its worker stops when (if ever) the task returns. */
  boolean abandoned;
  /** The dynamic dependencies this running task is waiting for; empty when it is not waiting. */
  List<Node> waitingOn = List.of();

  Node(Task task, TaskId id, int seq) {
    this.task = task;
    this.id = id;
    this.seq = seq;
  }

  /**
   * Reads what the scheduler needs from the task (resources, priority, the outputs an external
   * task lacks) once; whatever those methods throw becomes the task's failure.
   */
  void readDeclarations() {
    if (buildError != null) {
      return;
    }
    try {
      resources = java.util.Objects.requireNonNull(task.resources(), "resources() returned null");
      ownPriority = task.priority();
      if (task instanceof io.sluice.ExternalTask) {
        List<? extends io.sluice.Target> outputs = task.outputs();
        outputsText = outputs.isEmpty() ? id.toString()
            : String.join(", ", outputs.stream().map(String::valueOf).toList());
      }
    } catch (Throwable e) {
      buildError = GraphBuilder.describe(e);
    }
  }

  void addDependent(Node node) {
    synchronized (dependents) {
      dependents.add(node);
    }
  }

  List<Node> dependents() {
    synchronized (dependents) {
      return new ArrayList<>(dependents);
    }
  }

  boolean finalized() {
    return status != TaskStatus.PENDING && status != TaskStatus.RUNNING;
  }

  @Override
  public String toString() {
    return id.toString();
  }
}
