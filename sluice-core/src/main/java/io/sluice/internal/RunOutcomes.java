package io.sluice.internal;

import io.sluice.TaskId;
import io.sluice.TaskStatus;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * The statuses and reasons of a finished run, as read-only maps over its nodes: a million-task
 * run's result was two maps of a million entries (statuses, and the words of why each task ran),
 * copied once more into the run's result, all at the run's peak. The statuses are taken when the
 * run ends; why a task ran is put into words when asked.
 */
public final class RunOutcomes {

  private final Map<TaskId, Node> index;
  // By node sequence number; null where a node is not part of the result.
  private final Node[] nodes;
  private final TaskStatus[] statuses;
  private final String[] failures;
  private final Map<TaskId, String> notes = new LinkedHashMap<>();
  private final Set<TaskStatus> met = EnumSet.noneOf(TaskStatus.class);
  private int size;
  private int reasons;

  /**
   * Takes what the result needs from the nodes; call it while no node changes (under the engine's
   * lock). {@code bySequence} holds every node of the index at its sequence number (null where
   * there is none) and is kept: a walk of a million-entry index went from node to node across the heap.
   */
  RunOutcomes(Map<TaskId, Node> index, Node[] bySequence) {
    this.index = index;
    nodes = bySequence;
    int max = nodes.length - 1;
    statuses = new TaskStatus[max + 1];
    failures = new String[max + 1];
    // In sequence order, so that the notes come in the order the tasks were met.
    for (int seq = 0; seq < nodes.length; seq++) {
      Node node = nodes[seq];
      if (node == null || !node.scheduled && node.status != TaskStatus.COMPLETE) {
        nodes[seq] = null;
        continue;
      }
      size++;
      statuses[seq] = node.status;
      met.add(node.status);
      if (node.note != null) {
        notes.put(node.id, node.note);
      }
      if (node.reason != null && !node.reason.isEmpty() && node.status != TaskStatus.COMPLETE) {
        failures[seq] = node.reason;
        reasons++;
      } else if (ran(node.status)) {
        reasons++;
      }
    }
  }

  /** Final status per task, in the order tasks were met. */
  public Map<TaskId, TaskStatus> statuses() {
    return new View<>(size, seq -> statuses[seq]);
  }

  /** Every status some task of the result ended in: all that its exit code depends on. */
  public Set<TaskStatus> statusesMet() {
    return Collections.unmodifiableSet(met);
  }

  /** Why each task failed, was skipped or is missing, or why it ran (or would, in a dry run). */
  public Map<TaskId, String> reasons() {
    return new View<>(reasons, this::reason);
  }

  /** The last note of each task that gave one. */
  public Map<TaskId, String> notes() {
    return java.util.Collections.unmodifiableMap(notes);
  }

  /** Whether {@code map} is one of these views: read-only already, and not to be copied. */
  public static boolean isView(Map<?, ?> map) {
    return map instanceof View;
  }

  private String reason(int seq) {
    if (failures[seq] != null) {
      return failures[seq];
    }
    if (!ran(statuses[seq])) {
      return null;
    }
    Node node = nodes[seq];
    if (node.cause.isEmpty()) {
      return node.forced ? "forced (--force)" : "not complete";
    }
    List<String> why = node.why();
    return why.size() == 1 ? why.get(0) : String.join("; ", why);
  }

  private static boolean ran(TaskStatus status) {
    return status == TaskStatus.DONE || status == TaskStatus.WOULD_RUN;
  }

  /** The tasks of the result whose value {@code valueAt} gives (null: not in this map). */
  private final class View<V> extends AbstractMap<TaskId, V> {
    private final int size;
    private final IntFunction<V> valueAt;

    View(int size, IntFunction<V> valueAt) {
      this.size = size;
      this.valueAt = valueAt;
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public V get(Object key) {
      Node node = key == null ? null : index.get(key);
      return node == null || node.seq >= nodes.length || nodes[node.seq] != node ? null : valueAt.apply(node.seq);
    }

    @Override
    public boolean containsKey(Object key) {
      return get(key) != null;
    }

    @Override
    public Set<Entry<TaskId, V>> entrySet() {
      return new AbstractSet<>() {
        @Override
        public int size() {
          return size;
        }

        @Override
        public Iterator<Entry<TaskId, V>> iterator() {
          return new Iterator<>() {
            // The next entry's value, found ahead: a reason is put into words once per visit.
            private V value;
            private int next = advance(0);

            private int advance(int from) {
              value = null;
              int seq = from;
              while (seq < nodes.length && (nodes[seq] == null || (value = valueAt.apply(seq)) == null)) {
                seq++;
              }
              return seq;
            }

            @Override
            public boolean hasNext() {
              return next < nodes.length;
            }

            @Override
            public Entry<TaskId, V> next() {
              if (next >= nodes.length) {
                throw new NoSuchElementException();
              }
              Entry<TaskId, V> entry = new SimpleImmutableEntry<>(nodes[next].id, value);
              next = advance(next + 1);
              return entry;
            }
          };
        }
      };
    }
  }
}
