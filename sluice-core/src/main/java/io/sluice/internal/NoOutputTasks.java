package io.sluice.internal;

import io.sluice.ExternalTask;
import io.sluice.Task;
import io.sluice.TaskContext;
import io.sluice.WrapperTask;

/**
 * Tasks that do work ({@code run()} overridden) but declare no output and no {@code complete()}:
 * nothing can tell that they are done, so, as in Luigi, they are never complete and run every
 * time; the engine warns once per family and run. A task without outputs and without its own
 * {@code run()} groups others, like a {@link WrapperTask}: complete when all it requires is.
 */
public final class NoOutputTasks {

  private static final ClassValue<Boolean> OVERRIDES_RUN_NOT_COMPLETE = new ClassValue<>() {
    @Override
    protected Boolean computeValue(Class<?> type) {
      try {
        return type.getMethod("run", TaskContext.class).getDeclaringClass() != Task.class
            && type.getMethod("complete").getDeclaringClass() == Task.class;
      } catch (NoSuchMethodException e) {
        return false;
      }
    }
  };

  private NoOutputTasks() {}

  /** Whether the task runs every time: it works, but nothing says when it is done. */
  public static boolean neverComplete(Task task) {
    if (task instanceof WrapperTask || task instanceof ExternalTask
        || !OVERRIDES_RUN_NOT_COMPLETE.get(task.getClass())) {
      return false;
    }
    try {
      return task.outputs().isEmpty();
    } catch (Throwable e) {
      // An Error too: this is asked under the engine's lock; the task fails when it runs instead.
      return false;
    }
  }

  static String warning(String family) {
    return family + " declares no output and no complete(): it is never complete, so it runs in every run. "
        + "Declare its output, or override complete() to say when it is done.";
  }
}
