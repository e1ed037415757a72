package io.sluice;

import io.sluice.internal.TaskType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A task's identity: its family (its {@link Family} name, else its simple class name) and its
 * significant parameters, in declaration order. Two tasks with equal ids are the same task; two
 * task classes of one family in one graph are refused, since their ids could not tell them apart.
 *
 * @param family the task's family
 * @param params significant parameter values by name
 */
public record TaskId(String family, Map<String, Object> params) {

  public TaskId {
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  /** The id of a task, from its record components (insignificant ones left out). */
  public static TaskId of(Task task) {
    TaskType type = TaskType.of(task.getClass());
    return new TaskId(type.family(), type.significantValues(task));
  }

  /** Renders as {@code FitModel(alpha=0.5, date=2024-01-01)}. */
  @Override
  public String toString() {
    return family + params.entrySet().stream()
        .map(e -> e.getKey() + "=" + format(e.getValue()))
        .collect(Collectors.joining(", ", "(", ")"));
  }

  static String format(Object value) {
    if (value instanceof List<?> list) {
      return list.stream().map(TaskId::format).collect(Collectors.joining(",", "[", "]"));
    }
    return String.valueOf(value);
  }
}
