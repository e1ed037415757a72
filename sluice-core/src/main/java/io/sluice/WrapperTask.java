package io.sluice;

import java.util.List;

/** A task without outputs that groups others: complete when all it requires is complete. */
public interface WrapperTask extends Task {

  @Override
  default List<? extends Target> outputs() {
    return List.of();
  }

  @Override
  default void run(TaskContext context) {}
}
