package io.sluice.internal;

import io.sluice.SchedulingException;
import io.sluice.Task;
import io.sluice.TaskGraph;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** A built graph: the nodes, which of them must run, in an order with dependencies first. */
final class Graph implements TaskGraph {

  private final List<Node> roots;
  private final List<Node> all;
  // Only for the TaskGraph view (deps, graph): a run never looks tasks up, so it is made on demand.
  private Map<Task, Node> byTask;
  private final List<Node> toRun;

  /**
   * @param forcedFamilies families whose tasks re-run although complete, with all downstream
   * @throws SchedulingException on a cycle among the tasks to run
   */
  Graph(List<Node> roots, Collection<Node> nodes, Set<String> forcedFamilies) {
    this.roots = roots;
    this.all = inSequence(nodes);
    if (!forcedFamilies.isEmpty()) {
      List<Node> forced = all.stream().filter(n -> forcedFamilies.contains(n.id.family())).toList();
      forceDownstream(forced);
      for (Node node : all) {
        if (node.forced && node.complete) {
          node.cause = Reasons.of(forcedFamilies.contains(node.id.family()) ? "forced (--force-upstream " + node.id.family() + ")"
              : "forced: downstream of a task forced to run");
        }
      }
    }
    this.toRun = order(reachableIncomplete(roots));
  }

  /**
   * The nodes in the order they were made. Sequence numbers are dense, so each goes straight to
   * its slot: no comparison sort of a hundred thousand nodes.
   */
  static List<Node> inSequence(Collection<Node> nodes) {
    if (nodes instanceof List<Node> list && ascending(list)) {
      return list;  // the graph builder's own order
    }
    Node[] slots = null;
    int max = -1;
    List<Node> copy = new ArrayList<>(nodes);
    for (Node node : copy) {
      max = Math.max(max, node.seq);
    }
    if (max >= 0 && max < 2 * copy.size() + 16) {
      slots = new Node[max + 1];
      for (Node node : copy) {
        if (slots[node.seq] != null) {
          slots = null;  // a number given twice: leave it to the sort
          break;
        }
        slots[node.seq] = node;
      }
    }
    if (slots == null) {
      copy.sort(Comparator.comparingInt(n -> n.seq));
      return copy;
    }
    List<Node> ordered = new ArrayList<>(copy.size());
    for (Node node : slots) {
      if (node != null) {
        ordered.add(node);
      }
    }
    return ordered;
  }

  private static boolean ascending(List<Node> nodes) {
    int last = Integer.MIN_VALUE;
    for (Node node : nodes) {
      if (node.seq <= last) {
        return false;
      }
      last = node.seq;
    }
    return true;
  }

  static boolean mustRun(Node node) {
    return !node.complete || node.forced;
  }

  /** Marks the nodes and everything that depends on them as forced. */
  static void forceDownstream(List<Node> start) {
    Deque<Node> stack = new ArrayDeque<>(start);
    while (!stack.isEmpty()) {
      Node node = stack.pop();
      if (!node.forced) {
        node.forced = true;
        stack.addAll(node.dependents());
      }
    }
  }

  /**
   * The nodes reachable from {@code from} through nodes that must run (those included), each once,
   * in the order met. Marks by sequence number, not a set: a linked set of a million nodes was
   * about 50 MB made at the run's peak.
   */
  static List<Node> reachableIncomplete(List<Node> from) {
    List<Node> seen = new ArrayList<>();
    BitSet marked = new BitSet();
    Deque<Node> stack = new ArrayDeque<>();
    for (int i = from.size() - 1; i >= 0; i--) {
      stack.push(from.get(i));
    }
    while (!stack.isEmpty()) {
      Node node = stack.pop();
      if (!mustRun(node) || marked.get(node.seq)) {
        continue;
      }
      marked.set(node.seq);
      seen.add(node);
      if (node.external) {
        continue;
      }
      // Only what must run is followed: a warm fan-in's million complete inputs never enter the stack.
      for (Node dep : node.deps) {
        if (mustRun(dep)) {
          stack.push(dep);
        }
      }
    }
    return seen;
  }

  /** Dependencies first; a cycle is a {@link SchedulingException} naming it. {@code nodes} holds each node once. */
  static List<Node> order(Collection<Node> nodes) {
    // Each node counts its requirements not yet ordered in Node.orderPending: a map of boxed
    // counts cost more than the rest of the ordering for a hundred thousand nodes. Membership is
    // a bit per sequence number.
    BitSet members = new BitSet();
    for (Node node : nodes) {
      members.set(node.seq);
    }
    Deque<Node> ready = new ArrayDeque<>();
    for (Node node : nodes) {
      int count = 0;
      if (!node.external) {
        for (Node dep : node.deps) {
          if (members.get(dep.seq)) {
            count++;
          }
        }
      }
      node.orderPending = count;
      if (count == 0) {
        ready.add(node);
      }
    }
    List<Node> ordered = new ArrayList<>(nodes.size());
    while (!ready.isEmpty()) {
      Node node = ready.poll();
      ordered.add(node);
      for (int i = 0, n = node.dependentCount(); i < n; i++) {
        Node dependent = node.dependent(i);
        if (!dependent.external && members.get(dependent.seq)
            && --dependent.orderPending == 0) {
          ready.add(dependent);
        }
      }
    }
    if (ordered.size() < nodes.size()) {
      Set<Node> stuck = new HashSet<>(nodes);
      ordered.forEach(stuck::remove);
      throw new SchedulingException("Cycle: " + describeCycle(stuck)
          + ". A task cannot require itself, directly or through others.");
    }
    return ordered;
  }

  /** Follows requirements inside the stuck set until a node repeats: that loop is a cycle. */
  private static String describeCycle(Set<Node> stuck) {
    Node start = stuck.stream().min(Comparator.comparingInt(n -> n.seq)).orElseThrow();
    List<Node> path = new ArrayList<>();
    Map<Node, Integer> index = new HashMap<>();
    Node current = start;
    while (!index.containsKey(current)) {
      index.put(current, path.size());
      path.add(current);
      Node next = null;
      for (Node dep : current.deps) {
        if (stuck.contains(dep)) {
          next = dep;
          break;
        }
      }
      current = next;
    }
    List<Node> cycle = new ArrayList<>(path.subList(index.get(current), path.size()));
    cycle.add(current);
    return cycle.stream().map(Node::toString).collect(Collectors.joining(" -> "));
  }

  List<Node> rootNodes() {
    return roots;
  }

  List<Node> nodesToRun() {
    return toRun;
  }

  List<Node> allNodes() {
    return all;
  }

  Node node(Task task) {
    return byTask().get(task);
  }

  private synchronized Map<Task, Node> byTask() {
    if (byTask == null) {
      byTask = new IdentityHashMap<>(all.size() * 2);
      for (Node node : all) {
        byTask.put(node.task, node);
      }
    }
    return byTask;
  }

  @Override
  public List<Task> roots() {
    return tasksOf(roots);
  }

  @Override
  public List<Task> tasks() {
    return tasksOf(all);
  }

  @Override
  public List<Task> requires(Task task) {
    Node node = lookup(task);
    return tasksOf(node.deps);
  }

  @Override
  public boolean complete(Task task) {
    return lookup(task).complete;
  }

  @Override
  public io.sluice.TaskId id(Task task) {
    return lookup(task).id;
  }

  @Override
  public java.util.Optional<String> error(Task task) {
    return java.util.Optional.ofNullable(lookup(task).buildError);
  }

  @Override
  public List<String> why(Task task) {
    Node node = lookup(task);
    if (!mustRun(node)) {
      return List.of();
    }
    return node.cause.isEmpty() ? List.of(node.forced ? "forced (--force)" : "not complete") : node.why();
  }

  @Override
  public List<Task> toRun() {
    return tasksOf(toRun);
  }

  /**
   * The nodes' tasks, unmodifiable. A loop, not a stream: a listener that reads the graph (the
   * history counts it by family) asks for every task's requirements once, on the engine's thread
   * before the first task runs, and a stream per task cost more than the copy.
   */
  private static List<Task> tasksOf(List<Node> nodes) {
    Task[] tasks = new Task[nodes.size()];
    int i = 0;
    for (Node node : nodes) {
      tasks[i++] = node.task;
    }
    return Collections.unmodifiableList(Arrays.asList(tasks));
  }

  private Node lookup(Task task) {
    Node node = byTask().get(task);
    if (node == null) {
      for (Node candidate : all) {
        if (candidate.id.equals(task.id())) {
          return candidate;
        }
      }
      throw new IllegalArgumentException("task " + task.id() + " is not in this graph");
    }
    return node;
  }
}
