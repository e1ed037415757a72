package io.sluice.internal;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * Tasks ready to start, highest priority first, then in creation order: a priority queue whose
 * common case costs no comparison of heap entries. Tasks usually become ready already in that
 * order (the leaves of a graph one after another, each at the run's one priority), so those are
 * kept in a run, a deque in order that takes a task at either end; only a task that would fall
 * inside the run goes to a heap beside it. The head is the first of the two heads.
 *
 * <p>At a million ready tasks a heap's poll walked twenty levels of nodes spread over the whole
 * heap, under the lock every worker takes to start a task.
 */
final class ReadyQueue {

  /** Highest priority first, then creation order; written out, as composed comparators cost two lambda calls. */
  static final Comparator<Node> ORDER = (a, b) ->
      a.priority != b.priority ? Integer.compare(b.priority, a.priority) : Integer.compare(a.seq, b.seq);

  // In ORDER from first to last; every task of the heap may fall anywhere between them.
  private final ArrayDeque<Node> run = new ArrayDeque<>();
  private final PriorityQueue<Node> heap = new PriorityQueue<>(ORDER);

  void add(Node node) {
    if (run.isEmpty() || ORDER.compare(run.peekLast(), node) <= 0) {
      run.addLast(node);
    } else if (ORDER.compare(node, run.peekFirst()) <= 0) {
      run.addFirst(node);
    } else {
      heap.add(node);
    }
  }

  /** The first task, or null. */
  Node peek() {
    Node first = run.peekFirst();
    Node other = heap.peek();
    if (other == null) {
      return first;
    }
    return first == null || ORDER.compare(other, first) < 0 ? other : first;
  }

  /** Takes the first task, or null. */
  Node poll() {
    Node first = run.peekFirst();
    Node other = heap.peek();
    if (other != null && (first == null || ORDER.compare(other, first) < 0)) {
      return heap.poll();
    }
    return run.pollFirst();
  }

  /** Takes {@code node} out, wherever it is (a search: only for a task whose rank changes or that is skipped). */
  boolean remove(Node node) {
    // A node is equal to itself alone, so both find it by identity.
    return run.removeFirstOccurrence(node) || heap.remove(node);
  }

  int size() {
    return run.size() + heap.size();
  }

  boolean isEmpty() {
    return run.isEmpty() && heap.isEmpty();
  }

  void forEach(Consumer<Node> action) {
    run.forEach(action);
    heap.forEach(action);
  }

  void clear() {
    run.clear();
    heap.clear();
  }
}
