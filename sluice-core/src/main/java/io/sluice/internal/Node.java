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
  /** Whether the task is an {@link io.sluice.ExternalTask}: asked of every node by each pass over the graph. */
  final boolean external;

  // Set by the graph builder, once.
  volatile boolean complete;
  volatile boolean expanded;
  volatile String buildError;
  volatile List<Node> deps = List.of();
  /** Why it must run (empty when it need not); in words through {@link #why()}. */
  volatile Reasons cause = Reasons.NONE;
  /** The policy that judged it, or null for a task judged by what it requires alone. */
  volatile io.sluice.UpToDate policy;
  /** Whether it is out of date too when something it requires will run. */
  volatile boolean followsUpstream;
  /**
   * Where its one local output was found when the graph was built ({@link PresentFiles#where}),
   * null when it was not looked for: a task requiring it re-checks it from that alone when it can.
   */
  volatile Object outputFoundIn;
  /**
   * Whether every one of its outputs was missing when it was judged, and no other run may have
   * made them since: whatever of them a failed attempt leaves, the attempt wrote (see {@link DirectWrites}).
   */
  volatile boolean outputsMissing;
  /**
   * The content hash of its one output file, as its last commit in this run wrote it (under the
   * fingerprint policy, see {@link Staleness#outputsCommitted}); null when not known.
   */
  volatile String outputHash;
  // Most tasks have one dependent: it gets a field, and a list exists only from the second on
  // (an ArrayList per node was 48 bytes of a million-node graph's). Guarded by this node.
  private Node dependent;
  private List<Node> moreDependents;

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
  /** Works but declares nothing that says it is done (see NoOutputTasks): the engine warns. */
  boolean neverComplete;
  /** {@link #neverComplete} is known from the graph's check, which asked for the outputs already. */
  boolean neverCompleteKnown;
  boolean scheduled;
  int pendingDeps;
  /** Scratch of {@link Graph#order}: requirements not ordered yet. */
  int orderPending;
  /** Scratch of {@link Staleness#propagate}: the batch it was last settled in, and requirements of that batch not settled yet. */
  int settleBatch;
  int settlePending;
  TaskStatus status = TaskStatus.PENDING;
  String reason;
  Throwable error;
  volatile String note;
  int attempts;
  /** When it started, only where listeners are told how long it ran; null otherwise. */
  Instant started;
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
    this.external = task instanceof io.sluice.ExternalTask;
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
      // Here, not under the engine's lock: it may call the task's outputs().
      if (!neverCompleteKnown) {
        neverComplete = NoOutputTasks.neverComplete(task);
      }
      if (task instanceof io.sluice.ExternalTask) {
        List<? extends io.sluice.Target> outputs = task.outputs();
        outputsText = outputs.isEmpty() ? id.toString()
            : String.join(", ", outputs.stream().map(String::valueOf).toList());
      }
    } catch (Throwable e) {
      buildError = GraphBuilder.describe(e);
    }
  }

  synchronized void addDependent(Node node) {
    if (dependent == null) {
      dependent = node;
    } else {
      if (moreDependents == null) {
        moreDependents = new ArrayList<>(2);
      }
      moreDependents.add(node);
    }
  }

  /** How many tasks require this one; with {@link #dependent(int)}, a walk without a copy. */
  synchronized int dependentCount() {
    return dependent == null ? 0 : moreDependents == null ? 1 : 1 + moreDependents.size();
  }

  /** The {@code i}-th task that requires this one, in the order they were added. */
  synchronized Node dependent(int i) {
    return i == 0 ? dependent : moreDependents.get(i - 1);
  }

  /** The tasks that require this one, in the order they were added; a copy. */
  synchronized List<Node> dependents() {
    if (moreDependents == null) {
      return dependent == null ? List.of() : List.of(dependent);
    }
    List<Node> all = new ArrayList<>(moreDependents.size() + 1);
    all.add(dependent);
    all.addAll(moreDependents);
    return all;
  }

  /** Why it must run (empty when it need not), in words for the user, made now. */
  List<String> why() {
    return cause.texts(task);
  }

  boolean finalized() {
    return status != TaskStatus.PENDING && status != TaskStatus.RUNNING;
  }

  @Override
  public String toString() {
    return id.toString();
  }
}
