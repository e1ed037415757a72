package io.sluice.internal;

import io.sluice.ExitCode;
import io.sluice.ExternalTask;
import io.sluice.Resources;
import io.sluice.RunResult;
import io.sluice.SchedulingException;
import io.sluice.Task;
import io.sluice.TaskEvent;
import io.sluice.TaskId;
import io.sluice.TaskStatus;
import io.sluice.Target;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Executes a graph with N workers. Workers take the highest-priority ready task whose resources
 * fit, run it, and schedule what it unblocks themselves, so a chain runs without hand-offs.
 * A task waiting for dynamic dependencies gives its worker slot to a stand-in worker.
 */
public final class Engine {

  private final EngineSettings settings;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  // The thread awaiting the end waits apart, so that each finished task does not wake it.
  private final Condition ended = lock.newCondition();
  private final PriorityQueue<Node> ready = new PriorityQueue<>(
      Comparator.comparingInt((Node n) -> -n.task.priority()).thenComparingInt(n -> n.seq));
  private final Map<String, Integer> inUse = new HashMap<>();
  private final List<Node> order = new ArrayList<>();
  private final List<Thread> workers = new ArrayList<>();
  private final Events events;
  private final SharedObjects shared;
  private GraphBuilder builder;
  private TaskLocks locks;
  private ScheduledExecutorService timer;
  private int remaining;
  private int active;
  private int standIns;
  private volatile boolean cancelled;
  private boolean started;

  public Engine(EngineSettings settings) {
    this.settings = settings;
    this.events = new Events(settings.listeners(), settings.clock());
    this.shared = new SharedObjects(settings.projectSettings());
  }

  /** Builds the graph of the roots; for {@code deps}, {@code graph} and dry runs. */
  public static Graph plan(List<? extends Task> roots, EngineSettings settings, boolean expandAll)
      throws InterruptedException {
    try (GraphBuilder builder = new GraphBuilder(settings.checkerThreads(), expandAll || !settings.forceFamilies().isEmpty(),
        settings.force() ? rootIds(roots) : Set.of())) {
      List<Node> rootNodes = builder.addAndWait(roots);
      if (settings.force()) {
        rootNodes.forEach(n -> n.forced = true);
      }
      return new Graph(rootNodes, builder.nodes(), settings.forceFamilies());
    }
  }

  private static Set<TaskId> rootIds(List<? extends Task> roots) {
    return Set.copyOf(roots.stream().map(Task::id).toList());
  }

  /** Stops the run: nothing new starts, running tasks are interrupted. */
  public void cancel() {
    cancelled = true;
    lock.lock();
    try {
      for (Node node : order) {
        if (node.status == TaskStatus.RUNNING && node.thread != null) {
          node.thread.interrupt();
        }
      }
      signalChanged();
    } finally {
      lock.unlock();
    }
  }

  /** Runs the roots and everything they need that is not complete. */
  public RunResult run(List<? extends Task> roots) {
    Instant start = settings.clock().instant();
    Graph graph;
    builder = new GraphBuilder(settings.checkerThreads(), !settings.forceFamilies().isEmpty(),
        settings.force() ? rootIds(roots) : Set.of());
    try {
      List<Node> rootNodes = builder.addAndWait(roots);
      if (settings.force()) {
        rootNodes.forEach(n -> n.forced = true);
      }
      graph = new Graph(rootNodes, builder.nodes(), settings.forceFamilies());
      checkResources(graph.nodesToRun());
      if (!settings.dryRun()) {
        graph.nodesToRun().forEach(node -> node.task.checkBeforeRun(shared));
      }
    } catch (SchedulingException e) {
      builder.close();
      shared.close();
      return RunResult.schedulingError(e.getMessage());
    } catch (InterruptedException e) {
      builder.close();
      shared.close();
      Thread.currentThread().interrupt();
      return RunResult.schedulingError("interrupted while building the graph");
    }
    try {
      return execute(graph, start);
    } finally {
      shared.close();
      builder.close();
      if (timer != null) {
        timer.shutdownNow();
      }
      if (locks != null) {
        try {
          locks.close();
        } catch (IOException ignored) {
          // nothing held any more
        }
      }
    }
  }

  private void checkResources(List<Node> nodes) {
    for (Node node : nodes) {
      for (Map.Entry<String, Integer> need : node.task.resources().amounts().entrySet()) {
        Integer limit = settings.resourceLimits().get(need.getKey());
        if (limit != null && need.getValue() > limit) {
          throw new SchedulingException("Task " + node.id + " needs " + need.getKey() + "=" + need.getValue()
              + " but the resource limits ([resources] in sluice.toml) allow " + need.getKey() + "=" + limit
              + " in all: it could never start. Lower its request or raise the limit.");
        }
      }
    }
  }

  private RunResult execute(Graph graph, Instant start) {
    List<Node> toRun = graph.nodesToRun();
    events.graphBuilt(graph.allNodes().size(), toRun.size());
    lock.lock();
    try {
      for (Node node : graph.allNodes()) {
        if (!Graph.mustRun(node)) {
          node.status = TaskStatus.COMPLETE;
        }
      }
      List<Task> roots = graph.roots();
      for (Node node : graph.allNodes()) {
        if (node.status == TaskStatus.COMPLETE && roots.contains(node.task)) {
          events.emit(TaskEvent.Kind.COMPLETE, node, 0, Duration.ZERO, "", null);
        }
      }
      schedule(toRun);
      if (settings.dryRun()) {
        for (Node node : toRun) {
          if (node.status == TaskStatus.PENDING) {
            node.status = TaskStatus.WOULD_RUN;
          }
        }
        remaining = 0;
      }
    } finally {
      lock.unlock();
    }
    if (!settings.dryRun() && remaining > 0) {
      try {
        locks = new TaskLocks(settings.stateDir().resolve("locks"));
      } catch (IOException e) {
        return RunResult.schedulingError("cannot open the lock file under " + settings.stateDir() + ": " + e.getMessage());
      }
      startWorkers(settings.workers());
      awaitEnd();
    }
    return result(start);
  }

  /** Adds nodes that must run to the schedule; the caller holds the lock. */
  private void schedule(List<Node> nodes) {
    for (Node node : nodes) {
      if (node.scheduled) {
        continue;
      }
      node.scheduled = true;
      order.add(node);
      remaining++;
      if (node.buildError != null) {
        finish(node, TaskStatus.FAILED, node.buildError, null);
      } else if (node.task instanceof ExternalTask) {
        finish(node, TaskStatus.MISSING, "missing external data: " + describeOutputs(node.task), null);
      }
    }
    for (Node node : nodes) {
      if (node.status != TaskStatus.PENDING) {
        continue;
      }
      int pending = 0;
      Node failedDep = null;
      for (Node dep : node.deps) {
        if (dep.status == TaskStatus.PENDING || dep.status == TaskStatus.RUNNING) {
          pending++;
        } else if (!dep.status.satisfied()) {
          failedDep = dep;
        }
      }
      if (failedDep != null) {
        finish(node, TaskStatus.UPSTREAM_FAILED, upstreamReason(failedDep), null);
        continue;
      }
      node.pendingDeps = pending;
      if (pending == 0) {
        ready.add(node);
      }
    }
    signalChanged();
  }

  private static String upstreamReason(Node dep) {
    return switch (dep.status) {
      case MISSING -> "requires " + dep.id + ", which is missing external data";
      case ALREADY_RUNNING -> "requires " + dep.id + ", which another process is still running";
      case INTERRUPTED -> "requires " + dep.id + ", which was interrupted";
      default -> "requires " + dep.id + ", which " + (dep.status == TaskStatus.FAILED ? "failed" : "was not run");
    };
  }

  private static String describeOutputs(Task task) {
    List<? extends Target> outputs = task.outputs();
    return outputs.isEmpty() ? task.id().toString() : outputs.stream().map(Object::toString).reduce((a, b) -> a + ", " + b).get();
  }

  /** Records a final status and unblocks or fails the dependents; the caller holds the lock. */
  private void finish(Node node, TaskStatus status, String reason, Throwable error) {
    if (node.finalized()) {
      return;
    }
    node.status = status;
    node.reason = reason;
    node.finished = settings.clock().instant();
    remaining--;
    switch (status) {
      case DONE -> events.emit(TaskEvent.Kind.SUCCEEDED, node, node.attempts, elapsed(node), "", null);
      case COMPLETE -> events.emit(TaskEvent.Kind.COMPLETE, node, node.attempts, Duration.ZERO, reason, null);
      case FAILED -> events.emit(TaskEvent.Kind.FAILED, node, node.attempts, elapsed(node), reason, error);
      case MISSING -> events.emit(TaskEvent.Kind.MISSING, node, 0, Duration.ZERO, reason, null);
      default -> events.emit(TaskEvent.Kind.SKIPPED, node, node.attempts, Duration.ZERO, reason, null);
    }
    if (status.satisfied()) {
      for (Node dependent : node.dependents()) {
        if (dependent.scheduled && dependent.status == TaskStatus.PENDING && --dependent.pendingDeps == 0) {
          ready.add(dependent);
        }
      }
    } else {
      failDownstream(node);
    }
    signalChanged();
  }

  private void failDownstream(Node failed) {
    Deque<Node[]> stack = new ArrayDeque<>();
    for (Node dependent : failed.dependents()) {
      stack.push(new Node[] {dependent, failed});
    }
    while (!stack.isEmpty()) {
      Node[] pair = stack.pop();
      Node node = pair[0];
      if (!node.scheduled || node.status != TaskStatus.PENDING) {
        continue;
      }
      ready.remove(node);
      node.status = cancelled ? TaskStatus.INTERRUPTED : TaskStatus.UPSTREAM_FAILED;
      node.reason = cancelled ? "the run was interrupted" : upstreamReason(pair[1]);
      node.finished = settings.clock().instant();
      remaining--;
      events.emit(TaskEvent.Kind.SKIPPED, node, 0, Duration.ZERO, node.reason, null);
      for (Node dependent : node.dependents()) {
        stack.push(new Node[] {dependent, node});
      }
    }
  }

  private Duration elapsed(Node node) {
    return node.started == null ? Duration.ZERO : Duration.between(node.started, settings.clock().instant());
  }

  private void startWorkers(int count) {
    lock.lock();
    try {
      started = true;
      for (int i = 0; i < count; i++) {
        Thread thread = new Thread(() -> workLoop(null), "sluice-worker-" + (i + 1));
        thread.setDaemon(true);
        workers.add(thread);
        thread.start();
      }
    } finally {
      lock.unlock();
    }
  }

  private void awaitEnd() {
    lock.lock();
    try {
      while (remaining > 0 && !(cancelled && active == 0)) {
        ended.await();
      }
      if (cancelled) {
        for (Node node : order) {
          if (node.status == TaskStatus.PENDING) {
            ready.remove(node);
            node.status = TaskStatus.INTERRUPTED;
            node.reason = "the run was interrupted before it started";
            remaining--;
          }
        }
        while (active > 0 || anyRunning()) {
          ended.await(100, TimeUnit.MILLISECONDS);
        }
      }
    } catch (InterruptedException e) {
      cancel();
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  /** Wakes the threads waiting for a change, and the one awaiting the end when it may have come. */
  private void signalChanged() {
    changed.signalAll();
    if (remaining == 0 || cancelled) {
      ended.signalAll();
    }
  }

  private boolean anyRunning() {
    for (Node node : order) {
      if (node.status == TaskStatus.RUNNING) {
        return true;
      }
    }
    return false;
  }

  /**
   * Takes ready tasks and runs them until nothing is left. A stand-in worker (for a task waiting
   * on dynamic dependencies) stops once that task has resumed.
   */
  private void workLoop(DynamicWait standInFor) {
    while (true) {
      Node node;
      lock.lock();
      try {
        node = null;
        while (true) {
          if (cancelled || remaining == 0 || (standInFor != null && standInFor.resumed)) {
            if (standInFor != null) {
              standIns--;
            }
            signalChanged();
            return;
          }
          node = takeFitting();
          if (node != null) {
            break;
          }
          changed.await();
        }
        active++;
        node.status = TaskStatus.RUNNING;
        node.thread = Thread.currentThread();
        node.started = settings.clock().instant();
        take(node.task.resources());
      } catch (InterruptedException e) {
        return;
      } finally {
        lock.unlock();
      }
      Outcome outcome = new Attempts(this, node).run();
      lock.lock();
      try {
        active--;
        node.thread = null;
        release(node.task.resources());
        Thread.interrupted();
        finish(node, outcome.status(), outcome.reason(), outcome.error());
      } finally {
        lock.unlock();
      }
    }
  }

  private Node takeFitting() {
    if (ready.isEmpty()) {
      return null;
    }
    Node top = ready.peek();
    if (fits(top.task.resources())) {
      return ready.poll();
    }
    List<Node> skipped = new ArrayList<>();
    Node found = null;
    while (!ready.isEmpty() && skipped.size() < 256) {
      Node candidate = ready.poll();
      if (fits(candidate.task.resources())) {
        found = candidate;
        break;
      }
      skipped.add(candidate);
    }
    ready.addAll(skipped);
    return found;
  }

  private boolean fits(Resources resources) {
    for (Map.Entry<String, Integer> need : resources.amounts().entrySet()) {
      Integer limit = settings.resourceLimits().get(need.getKey());
      if (limit != null && inUse.getOrDefault(need.getKey(), 0) + need.getValue() > limit) {
        return false;
      }
    }
    return true;
  }

  private void take(Resources resources) {
    resources.amounts().forEach((name, amount) -> inUse.merge(name, amount, Integer::sum));
  }

  private void release(Resources resources) {
    resources.amounts().forEach((name, amount) -> inUse.merge(name, -amount, Integer::sum));
  }

  // ---- services for attempts ----

  EngineSettings settings() {
    return settings;
  }

  /** What the tasks of this run share. */
  SharedObjects shared() {
    return shared;
  }

  Events events() {
    return events;
  }

  boolean cancelled() {
    return cancelled;
  }

  TaskLocks locks() {
    return locks;
  }

  synchronized ScheduledExecutorService timer() {
    if (timer == null) {
      timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "sluice-timeouts");
        thread.setDaemon(true);
        return thread;
      });
    }
    return timer;
  }

  ScheduledFuture<?> interruptAfter(Duration timeout, Thread thread, Runnable onTimeout) {
    return timer().schedule(() -> {
      onTimeout.run();
      thread.interrupt();
    }, timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  void note(Node node, String message) {
    node.note = message;
    events.emit(TaskEvent.Kind.NOTE, node, node.attempts, Duration.ZERO, message, null);
  }

  /** A running task's wait for dynamic dependencies. */
  static final class DynamicWait {
    final List<Node> deps;
    boolean resumed;

    DynamicWait(List<Node> deps) {
      this.deps = deps;
    }
  }

  /**
   * Adds dynamic dependencies of a running task, waits until they are final, and returns them.
   * While waiting, the task's worker slot and resources go to a stand-in worker.
   */
  List<Node> requireDynamic(Node requester, List<? extends Task> tasks) throws InterruptedException {
    List<Node> deps = builder.addAndWait(tasks);
    lock.lock();
    try {
      for (Node dep : deps) {
        dep.addDependent(requester);
      }
      List<Node> newNodes = new ArrayList<>();
      for (Node node : Graph.reachableIncomplete(deps)) {
        if (!node.scheduled) {
          newNodes.add(node);
        }
      }
      // Complete tasks met on the way are done, like those found complete when the run started;
      // left pending, they would keep the new tasks that require them waiting forever.
      List<Node> reached = new ArrayList<>(deps);
      for (Node node : newNodes) {
        reached.addAll(node.deps);
      }
      for (Node node : reached) {
        if (!Graph.mustRun(node) && node.status == TaskStatus.PENDING) {
          node.status = TaskStatus.COMPLETE;
          node.scheduled = true;
        }
      }
      // The requester is running, so it is never among the new nodes: look for it downstream.
      if (leadsTo(deps, requester)) {
        throw new SchedulingException("Cycle: " + requester.id + " requires itself through its dynamic dependencies");
      }
      // As at the start of the run: a task that could never start must not be waited for.
      checkResources(newNodes);
      schedule(Graph.order(new java.util.LinkedHashSet<>(newNodes)));
      if (allFinal(deps)) {
        return deps;
      }
      DynamicWait wait = new DynamicWait(deps);
      requester.waitingOn = deps;
      active--;
      release(requester.task.resources());
      standIns++;
      Thread standIn = new Thread(() -> workLoop(wait), "sluice-stand-in");
      standIn.setDaemon(true);
      standIn.start();
      signalChanged();
      try {
        while (!allFinal(deps) && !cancelled) {
          changed.await();
        }
      } finally {
        wait.resumed = true;
        requester.waitingOn = List.of();
        while (!fits(requester.task.resources()) && !cancelled) {
          changed.awaitUninterruptibly();
        }
        take(requester.task.resources());
        active++;
        signalChanged();
      }
      if (cancelled) {
        throw new InterruptedException("the run was interrupted");
      }
      return deps;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Whether {@code target} is among {@code from} or what they need before they can finish: what
   * they require and, for running tasks, the dynamic dependencies they wait for, transitively.
   */
  private static boolean leadsTo(List<Node> from, Node target) {
    Set<Node> seen = new HashSet<>();
    Deque<Node> stack = new ArrayDeque<>(from);
    while (!stack.isEmpty()) {
      Node node = stack.pop();
      if (node == target) {
        return true;
      }
      if (node.finalized() || !Graph.mustRun(node) || !seen.add(node)) {
        continue;
      }
      stack.addAll(node.deps);
      stack.addAll(node.waitingOn);
    }
    return false;
  }

  private static boolean allFinal(List<Node> nodes) {
    for (Node node : nodes) {
      if (!node.finalized()) {
        return false;
      }
    }
    return true;
  }

  private RunResult result(Instant start) {
    Map<TaskId, TaskStatus> statuses = new LinkedHashMap<>();
    Map<TaskId, String> reasons = new LinkedHashMap<>();
    Map<TaskId, String> notes = new LinkedHashMap<>();
    lock.lock();
    try {
      // Every node the builder made, not only the graph's: dynamic dependencies joined later.
      List<Node> nodes = new ArrayList<>(builder.nodes());
      nodes.sort(Comparator.comparingInt(n -> n.seq));
      for (Node node : nodes) {
        if (node.scheduled || node.status == TaskStatus.COMPLETE) {
          statuses.put(node.id, node.status);
          if (node.note != null) {
            notes.put(node.id, node.note);
          }
          if (node.reason != null && !node.reason.isEmpty() && node.status != TaskStatus.COMPLETE) {
            reasons.put(node.id, node.reason);
          }
        }
      }
    } finally {
      lock.unlock();
    }
    ExitCode code = ExitCode.of(statuses.values());
    if (cancelled && code != ExitCode.SCHEDULING_ERROR) {
      code = ExitCode.INTERRUPTED;
    }
    RunResult result = new RunResult(statuses, reasons, notes, code, null,
        Duration.between(start, settings.clock().instant()));
    events.runFinished(result);
    return result;
  }

  /** What one task's attempts came to. */
  record Outcome(TaskStatus status, String reason, Throwable error) {}
}
