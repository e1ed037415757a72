package io.sluice.history;

/**
 * A task of a run with its number in that run, which names it in links and queries.
 *
 * @param number its number in the run, in the order the run met its tasks
 * @param record what was recorded
 */
public record RunTask(int number, TaskRecord record) {}
