package io.sluice.internal;

import io.sluice.Task;
import io.sluice.TaskId;
import java.util.HashSet;
import java.util.Set;

/**
 * The completeness of a task without outputs: that of everything it requires. Among such tasks
 * a cycle would recurse until the stack overflows; a task met again while its own requirements
 * are being checked counts as incomplete instead, so the graph builder expands it and reports
 * the cycle with its path. The engine judges such tasks itself, without recursion (see
 * {@link Staleness}); this serves code that calls {@code complete()} directly.
 */
public final class Completeness {

  // Not run state: the tasks on this call stack's chain of complete() calls, empty again when the
  // outermost call returns. A ThreadLocal because the chain passes through users' complete()
  // overrides (Task.super.complete()), which have no parameter to carry the set.
  private static final ThreadLocal<Set<TaskId>> CHECKING = ThreadLocal.withInitial(HashSet::new);

  private Completeness() {}

  /** Whether every task {@code task} requires is complete. */
  public static boolean ofRequirements(Task task) {
    if (NoOutputTasks.neverComplete(task)) {
      return false;
    }
    Set<TaskId> checking = CHECKING.get();
    TaskId id = task.id();
    if (!checking.add(id)) {
      return false;
    }
    try {
      for (Task required : task.requires()) {
        if (!required.complete()) {
          return false;
        }
      }
      return true;
    } finally {
      checking.remove(id);
    }
  }
}
