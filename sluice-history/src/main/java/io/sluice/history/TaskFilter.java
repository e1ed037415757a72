package io.sluice.history;

/**
 * Which tasks of a run to list: every field is optional (null keeps all).
 *
 * @param family the family, exactly
 * @param status the status ({@link io.sluice.TaskStatus} name or {@code RUNNING}), exactly
 * @param search a part of the task id, any case ({@code alpha=0.5})
 */
public record TaskFilter(String family, String status, String search) {

  /** Every task. */
  public static final TaskFilter ALL = new TaskFilter(null, null, null);
}
