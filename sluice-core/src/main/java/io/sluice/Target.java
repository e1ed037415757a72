package io.sluice;

/** Something a task produces: a file, a table, an object in a store. */
public interface Target {

  /** Whether the target's data is there. Must be cheap: it is called for every task. */
  boolean exists();
}
