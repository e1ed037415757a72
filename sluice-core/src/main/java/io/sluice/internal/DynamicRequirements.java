package io.sluice.internal;

import io.sluice.SchedulingException;
import io.sluice.Task;
import io.sluice.TaskStatus;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Tasks a running task requires while it runs ({@code TaskContext.require}): they join the
 * graph and the schedule, and the requester waits for them, lending its worker slot and its
 * resources to a stand-in worker meanwhile, so that one worker cannot deadlock.
 */
final class DynamicRequirements {

  private final Engine engine;
  private final GraphBuilder builder;

  DynamicRequirements(Engine engine, GraphBuilder builder) {
    this.engine = engine;
    this.builder = builder;
  }

  /** A running task's wait for dynamic dependencies. */
  static final class Wait {
    boolean resumed;
  }

  /** Adds the tasks, waits until they are final, and returns their nodes. */
  List<Node> require(Node requester, List<? extends Task> tasks) throws InterruptedException {
    List<Node> deps = builder.addAndWait(tasks);
    ReentrantLock lock = engine.lock();
    Condition changed = engine.changed();
    Scheduler scheduler = engine.scheduler();
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
      List<Node> cycle = pathTo(deps, requester);
      if (cycle != null) {
        StringBuilder text = new StringBuilder("Cycle: ").append(requester.id);
        cycle.forEach(node -> text.append(" -> ").append(node.id));
        throw new SchedulingException(text.append(" (a dynamic dependency, required by a running task, counts as"
            + " one of its requirements)").toString());
      }
      // As at the start of the run: a task that could never start must not be waited for.
      engine.readDeclarations(newNodes);
      engine.schedule(Graph.order(new LinkedHashSet<>(newNodes)));
      if (allFinal(deps)) {
        return deps;
      }
      Wait wait = new Wait();
      requester.waitingOn = deps;
      engine.addActive(-1);
      scheduler.suspend(requester);
      engine.startWorker(wait);
      engine.signalChanged();
      try {
        while (!allFinal(deps) && !engine.cancelled()) {
          changed.await();
        }
      } finally {
        wait.resumed = true;
        requester.waitingOn = List.of();
        // An abandoned requester (past its timeout) gets nothing back: it is finished already.
        while (!requester.abandoned && !scheduler.resume(requester)) {
          changed.awaitUninterruptibly();
        }
        if (!requester.abandoned) {
          engine.addActive(1);
        }
        engine.signalChanged();
      }
      if (engine.cancelled()) {
        throw new InterruptedException("the run was interrupted");
      }
      return deps;
    } finally {
      lock.unlock();
      engine.events().deliver();
    }
  }

  /**
   * The path from one of {@code from} to {@code target} through what they need before they can
   * finish: what they require and, for running tasks, the dynamic dependencies they wait for,
   * transitively; null when there is none.
   */
  private static List<Node> pathTo(List<Node> from, Node target) {
    Map<Node, Node> reachedFrom = new HashMap<>();
    Deque<Node> stack = new ArrayDeque<>();
    for (Node node : from) {
      if (reachedFrom.putIfAbsent(node, node) == null) {
        stack.push(node);
      }
    }
    while (!stack.isEmpty()) {
      Node node = stack.pop();
      if (node == target) {
        List<Node> path = new ArrayList<>();
        for (Node at = node; ; at = reachedFrom.get(at)) {
          path.add(0, at);
          if (reachedFrom.get(at) == at) {
            return path;
          }
        }
      }
      if (node.finalized() || !Graph.mustRun(node)) {
        continue;
      }
      for (List<Node> next : List.of(node.deps, node.waitingOn)) {
        for (Node dep : next) {
          if (reachedFrom.putIfAbsent(dep, node) == null) {
            stack.push(dep);
          }
        }
      }
    }
    return null;
  }

  private static boolean allFinal(List<Node> nodes) {
    for (Node node : nodes) {
      if (!node.finalized()) {
        return false;
      }
    }
    return true;
  }
}
