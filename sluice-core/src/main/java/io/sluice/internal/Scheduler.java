package io.sluice.internal;

import io.sluice.Resources;
import io.sluice.TaskStatus;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rule of who runs next, as a state machine without threads: tasks are added dependencies
 * first, {@link #next()} hands out the highest-priority ready task whose resources fit, and
 * {@link #finish} records an outcome, readying or failing what depends on it. The engine drives
 * it under its lock; a test drives it step by step.
 *
 * <p>Priorities propagate upstream: a task runs with the highest priority of the tasks waiting
 * for it. A ready task that does not fit reserves what it needs, so that lower-priority tasks
 * needing less cannot starve it: they only get what is left beyond the reservation.
 */
final class Scheduler {

  /** How far past a blocked head of the queue {@link #next()} looks for a task that fits. */
  private static final int SCAN_LIMIT = 256;

  private final Map<String, Integer> limits;
  // Highest priority first, then creation order.
  private final ReadyQueue ready = new ReadyQueue();
  private final Map<String, Integer> inUse = new HashMap<>();
  private final List<Node> scheduled = new ArrayList<>();
  private final List<Node> finalized = new ArrayList<>();
  // The priority of the first task added, and whether any added since declared another.
  private boolean anyPriority;
  private int commonPriority;
  private boolean prioritiesDiffer;
  private int remaining;
  private int running;
  private int suspended;
  private boolean cancelled;

  /**
   * @param limits totals of the limited resources; a resource without a total is unlimited
   */
  Scheduler(Map<String, Integer> limits) {
    this.limits = Map.copyOf(limits);
  }

  /**
   * Adds tasks that must run, dependencies first ({@link Graph#order}); tasks added before are
   * skipped. Each must have read its declarations ({@link Node#readDeclarations()}).
   */
  void add(List<Node> nodes) {
    List<Node> fresh = new ArrayList<>(nodes.size());
    for (Node node : nodes) {
      if (!node.scheduled) {
        node.scheduled = true;
        scheduled.add(node);
        remaining++;
        fresh.add(node);
      }
    }
    for (Node node : fresh) {
      if (node.buildError != null) {
        finish(node, TaskStatus.FAILED, node.buildError, null);
      } else if (node.external) {
        finish(node, TaskStatus.MISSING, "missing external data: " + node.outputsText, null);
      }
    }
    if (samePriorities(fresh)) {
      // Nothing to propagate: each task runs with the priority every task declared.
      for (Node node : fresh) {
        if (!node.finalized()) {
          node.priority = node.ownPriority;
        }
      }
    } else {
      // Dependents come after their dependencies in the list: walking it backwards, each task
      // already carries what those waiting for it need.
      for (int i = fresh.size() - 1; i >= 0; i--) {
        Node node = fresh.get(i);
        int priority = node.ownPriority;
        for (int d = 0, count = node.dependentCount(); d < count; d++) {
          Node dependent = node.dependent(d);
          if (dependent.scheduled && !dependent.finalized()) {
            priority = Math.max(priority, dependent.priority);
          }
        }
        raise(node, priority);
      }
    }
    for (Node node : fresh) {
      if (node.status != TaskStatus.PENDING) {
        continue;
      }
      int pending = 0;
      String failures = null;
      for (Node dep : node.deps) {
        if (dep.status == TaskStatus.PENDING || dep.status == TaskStatus.RUNNING) {
          pending++;
        } else if (!dep.status.satisfied()) {
          failures = failures == null ? upstreamReason(dep) : failures + "; " + upstreamReason(dep);
        }
      }
      if (failures != null) {
        node.pendingDeps = pending;
        skip(node, failures);
        failDownstream(node);
        continue;
      }
      node.pendingDeps = pending;
      if (pending == 0) {
        enqueue(node);
      }
    }
  }

  /**
   * Whether every task added so far, {@code fresh} included, declared one and the same priority:
   * then none is raised by those waiting for it, and the walk that propagates them is not needed.
   */
  private boolean samePriorities(List<Node> fresh) {
    for (Node node : fresh) {
      if (!anyPriority) {
        anyPriority = true;
        commonPriority = node.ownPriority;
      } else if (node.ownPriority != commonPriority) {
        prioritiesDiffer = true;
      }
    }
    return !prioritiesDiffer;
  }

  /** Gives {@code node} and what it waits for, transitively, at least {@code priority}. */
  private void raise(Node start, int priority) {
    if (priority <= start.priority || start.finalized()) {
      return;  // the common case, nothing to raise: no stack
    }
    Deque<Node> stack = new ArrayDeque<>();
    stack.push(start);
    while (!stack.isEmpty()) {
      Node node = stack.pop();
      if (priority <= node.priority || node.finalized()) {
        continue;
      }
      // A queued task must leave the queue while its rank changes.
      boolean queued = node.queued;
      dequeue(node);
      node.priority = priority;
      if (queued) {
        enqueue(node);
      }
      for (Node dep : node.deps) {
        if (dep.scheduled) {
          stack.push(dep);
        }
      }
    }
  }

  /**
   * The next task to start, now {@link TaskStatus#RUNNING} and holding its resources; null when
   * none is ready or none fits.
   */
  Node next() {
    if (cancelled || ready.isEmpty()) {
      return null;
    }
    Node found = null;
    if (fits(ready.peek().resources, Map.of())) {
      found = ready.poll();
      found.queued = false;
    } else {
      // Those ahead in line that do not fit keep what they need: others get only the rest.
      Map<String, Integer> reserved = new HashMap<>();
      List<Node> skipped = new ArrayList<>();
      while (!ready.isEmpty() && skipped.size() < SCAN_LIMIT) {
        Node candidate = ready.poll();
        candidate.queued = false;
        if (fits(candidate.resources, reserved)) {
          found = candidate;
          break;
        }
        skipped.add(candidate);
        candidate.resources.amounts().forEach((name, amount) -> reserved.merge(name, amount, Integer::sum));
      }
      // Back in reverse: each goes to the front of the line, where it was.
      for (int i = skipped.size() - 1; i >= 0; i--) {
        enqueue(skipped.get(i));
      }
    }
    if (found != null) {
      found.status = TaskStatus.RUNNING;
      take(found.resources);
      running++;
    }
    return found;
  }

  /**
   * Records a final status. A running task gives back its resources; dependents become ready
   * when it is satisfied, or are skipped (upstream failed) when not. Does nothing for a task
   * already final.
   *
   * @return whether the status was recorded
   */
  boolean finish(Node node, TaskStatus status, String reason, Throwable error) {
    if (node.finalized()) {
      return false;
    }
    if (node.status == TaskStatus.RUNNING) {
      if (!node.suspended) {
        release(node.resources);
        running--;
      } else {
        suspended--;
      }
      node.suspended = false;
    } else {
      dequeue(node);
    }
    node.status = status;
    node.reason = reason;
    node.error = error;
    remaining--;
    finalized.add(node);
    if (status.satisfied()) {
      for (int d = 0, count = node.dependentCount(); d < count; d++) {
        Node dependent = node.dependent(d);
        if (dependent.scheduled && dependent.status == TaskStatus.PENDING && --dependent.pendingDeps == 0) {
          enqueue(dependent);
        }
      }
    } else {
      failDownstream(node);
    }
    return true;
  }

  /** Skips everything pending downstream of {@code failed}, each naming what it needed. */
  private void failDownstream(Node failed) {
    Deque<Node[]> stack = new ArrayDeque<>();
    for (Node dependent : failed.dependents()) {
      stack.push(new Node[] {dependent, failed});
    }
    while (!stack.isEmpty()) {
      Node[] pair = stack.pop();
      Node node = pair[0];
      Node dep = pair[1];
      if (!node.scheduled) {
        continue;
      }
      if (node.status == TaskStatus.UPSTREAM_FAILED && dep.status != TaskStatus.UPSTREAM_FAILED) {
        // Skipped already for another requirement: the summary names every one that failed.
        String more = upstreamReason(dep);
        if (!node.reason.contains(more)) {
          node.reason = node.reason + "; " + more;
        }
        continue;
      }
      if (node.status != TaskStatus.PENDING) {
        continue;
      }
      dequeue(node);
      skip(node, upstreamReason(dep));
      for (Node dependent : node.dependents()) {
        stack.push(new Node[] {dependent, node});
      }
    }
  }

  private void skip(Node node, String reason) {
    node.status = cancelled ? TaskStatus.INTERRUPTED : TaskStatus.UPSTREAM_FAILED;
    node.reason = cancelled ? "the run was interrupted" : reason;
    remaining--;
    finalized.add(node);
  }

  static String upstreamReason(Node dep) {
    return switch (dep.status) {
      case MISSING -> "requires " + dep.id + ", which is missing external data";
      case ALREADY_RUNNING -> "requires " + dep.id + ", which another process is still running";
      case INTERRUPTED -> "requires " + dep.id + ", which was interrupted";
      case FAILED -> "requires " + dep.id + ", which failed";
      default -> "requires " + dep.id + ", which was not run";
    };
  }

  /** A running task stops holding its resources while it waits (for dynamic dependencies). */
  void suspend(Node node) {
    if (!node.suspended) {
      node.suspended = true;
      suspended++;
      release(node.resources);
      running--;
    }
  }

  /**
   * A suspended task takes its resources back, if they fit; it is running already, so it goes
   * before any reservation.
   */
  boolean resume(Node node) {
    if (!node.suspended) {
      return true;
    }
    if (!fits(node.resources, Map.of())) {
      return false;
    }
    node.suspended = false;
    suspended--;
    take(node.resources);
    running++;
    return true;
  }

  /** Nothing more starts; every pending task is interrupted. */
  void cancel() {
    cancelled = true;
    ready.forEach(n -> n.queued = false);
    ready.clear();
    for (Node node : scheduled) {
      if (node.status == TaskStatus.PENDING) {
        node.status = TaskStatus.INTERRUPTED;
        node.reason = "the run was interrupted before it started";
        remaining--;
        finalized.add(node);
      }
    }
  }

  /** For a dry run: every pending task would run, and the schedule is over. */
  void markWouldRun() {
    ready.forEach(n -> n.queued = false);
    ready.clear();
    for (Node node : scheduled) {
      if (node.status == TaskStatus.PENDING) {
        node.status = TaskStatus.WOULD_RUN;
        remaining--;
      }
    }
  }

  /** The tasks that became final since the last call, in the order they did. */
  List<Node> drainFinalized() {
    if (finalized.isEmpty()) {
      return List.of();
    }
    if (finalized.size() == 1) {
      // The common case, one task finished: no copy of a list.
      List<Node> one = List.of(finalized.get(0));
      finalized.clear();
      return one;
    }
    List<Node> drained = new ArrayList<>(finalized);
    finalized.clear();
    return drained;
  }

  /** Scheduled tasks not final yet. */
  int remaining() {
    return remaining;
  }

  /** Tasks started and not finished nor suspended. */
  int running() {
    return running;
  }

  /** Tasks waiting (for dynamic dependencies) without their resources. */
  int suspended() {
    return suspended;
  }

  /** Tasks ready to start, whether their resources fit now or not. */
  int ready() {
    return ready.size();
  }

  /**
   * Ids of the (up to {@code max}) ready tasks at the head of the line, in order; for claims taken
   * ahead. Taken off the queue and put back: a few steps of the heap each, where its own order
   * (iteration) would name tasks far down the line.
   */
  List<io.sluice.TaskId> readyNext(int max) {
    List<Node> head = new ArrayList<>(Math.min(max, ready.size()));
    while (head.size() < max && !ready.isEmpty()) {
      head.add(ready.poll());
    }
    List<io.sluice.TaskId> ids = new ArrayList<>(head.size());
    for (Node node : head) {
      ids.add(node.id);
    }
    for (int i = head.size() - 1; i >= 0; i--) {
      ready.add(head.get(i));  // in reverse: each goes back to the front of the line
    }
    return ids;
  }

  /** How much of a resource running tasks hold. */
  int inUse(String resource) {
    return inUse.getOrDefault(resource, 0);
  }

  /** Every task added, in the order it was. */
  List<Node> scheduled() {
    return scheduled;
  }

  private void enqueue(Node node) {
    ready.add(node);
    node.queued = true;
  }

  private void dequeue(Node node) {
    if (node.queued) {
      ready.remove(node);
      node.queued = false;
    }
  }

  private boolean fits(Resources resources, Map<String, Integer> reserved) {
    if (resources.isEmpty()) {
      return true;  // most tasks: no iterator over no amounts
    }
    for (Map.Entry<String, Integer> need : resources.amounts().entrySet()) {
      Integer limit = limits.get(need.getKey());
      if (limit != null && need.getValue() > 0
          && inUse(need.getKey()) + need.getValue() + reserved.getOrDefault(need.getKey(), 0) > limit) {
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
}
