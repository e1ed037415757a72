package io.sluice.history;

/**
 * Which tasks of a run to list: every field is optional (null keeps all).
 *
 * @param family the family, exactly
 * @param status the status (a {@link io.sluice.TaskStatus} name, any case)
 * @param search a part of the task id, any case ({@code alpha=0.5})
 */
public record TaskFilter(String family, String status, String search) {

  /**
   * Takes the status in any case.
   *
   * @throws IllegalArgumentException naming the status and the ones there are, when it is none of them
   */
  public TaskFilter {
    if (status != null) {
      try {
        status = io.sluice.TaskStatus.valueOf(status.trim().toUpperCase(java.util.Locale.ROOT)).name();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Task status '" + status + "' is not one of "
            + java.util.Arrays.stream(io.sluice.TaskStatus.values()).map(Enum::name).collect(java.util.stream.Collectors.joining(", ")));
      }
    }
  }

  /** Every task. */
  public static final TaskFilter ALL = new TaskFilter(null, null, null);
}
