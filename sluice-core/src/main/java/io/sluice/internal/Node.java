package io.sluice.internal;

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
  private final List<Node> dependents = new ArrayList<>(1);

  // Scheduling state.
  boolean forced;
  boolean scheduled;
  int pendingDeps;
  TaskStatus status = TaskStatus.PENDING;
  String reason;
  volatile String note;
  int attempts;
  Instant started;
  Instant finished;
  Thread thread;
  /** The dynamic dependencies this running task is waiting for; empty when it is not waiting. */
  List<Node> waitingOn = List.of();

  Node(Task task, TaskId id, int seq) {
    this.task = task;
    this.id = id;
    this.seq = seq;
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
