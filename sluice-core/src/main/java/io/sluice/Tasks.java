package io.sluice;

import io.sluice.internal.TaskType;
import java.util.Map;

/**
 * Creates tasks whose parameters come from outside the code: each parameter takes the value
 * given here, else on the command line, else in the task's section of sluice.toml, else its
 * default. Use it in {@code requires()} to let users set parameters of upstream tasks.
 */
public final class Tasks {

  private static volatile ParameterValues values = ParameterValues.none();

  private Tasks() {}

  /** A task of the given type, every parameter from the command line, sluice.toml or default. */
  public static <T extends Task> T create(Class<T> type) {
    return create(type, Map.of());
  }

  /** A task of the given type, with some parameters given here (as typed values or strings). */
  public static <T extends Task> T create(Class<T> type, Map<String, ?> given) {
    return TaskType.of(type).create(given, values);
  }

  /** Describes a task type: its parameters, their types, defaults and descriptions. */
  public static TaskInfo describe(Class<? extends Task> type) {
    return TaskType.of(type).info();
  }

  /** Sets the command-line and configuration values for this process's runs. */
  public static void useValues(ParameterValues newValues) {
    values = newValues;
  }

  /** The values set by {@link #useValues}. */
  public static ParameterValues values() {
    return values;
  }
}
