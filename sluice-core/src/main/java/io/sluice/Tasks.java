package io.sluice;

import io.sluice.internal.RunThread;
import io.sluice.internal.TaskType;
import java.util.Map;
import java.util.Objects;

/**
 * Creates tasks whose parameters come from outside the code: each parameter takes the value
 * given here, else on the command line, else in the task's section of sluice.toml, else its
 * default. Use it in {@code requires()} to let users set parameters of upstream tasks.
 *
 * <p>The command-line and sluice.toml values belong to a run: those given to
 * {@link Sluice.Builder#parameterValues}. {@code requires()} and {@code run()} are called on
 * threads the run owns, and there {@link #create(Class)} takes that run's values; anywhere else
 * (outside a run, or on a thread a task starts itself) it takes the defaults. Pass the values
 * explicitly with {@link #create(Class, Map, ParameterValues)} where you hold them.
 */
public final class Tasks {

  private Tasks() {}

  /** A task of the given type, every parameter from the current run's values or its default. */
  public static <T extends Task> T create(Class<T> type) {
    return create(type, Map.of());
  }

  /** A task of the given type, with some parameters given here (as typed values or strings). */
  public static <T extends Task> T create(Class<T> type, Map<String, ?> given) {
    return create(type, given, RunThread.currentValues());
  }

  /** A task of the given type: parameters given here, else from {@code values}, else defaults. */
  public static <T extends Task> T create(Class<T> type, Map<String, ?> given, ParameterValues values) {
    return TaskType.of(type).create(given, Objects.requireNonNull(values, "values"));
  }

  /** Describes a task type: its parameters, their types, defaults and descriptions. */
  public static TaskInfo describe(Class<? extends Task> type) {
    return TaskType.of(type).info();
  }
}
