package io.sluice.history.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.Resources;
import io.sluice.Task;
import io.sluice.TaskContext;
import io.sluice.TaskEvent;
import io.sluice.TaskId;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceUseTest {

  record Train(int model) implements Task {
    @Override
    public Resources resources() {
      return Resources.of("gpu", 1, "memory_gb", 4);
    }

    @Override
    public void run(TaskContext context) {}
  }

  record Plain() implements Task {
    @Override
    public void run(TaskContext context) {}
  }

  private static TaskEvent event(TaskEvent.Kind kind, Task task) {
    return new TaskEvent(kind, TaskId.of(task), task, 1, Instant.EPOCH, Duration.ZERO, "", null);
  }

  @Test
  void runningTasksHoldTheirResourcesUntilTheirAttemptEndsAgainstTheRunsLimits() {
    ResourceUse use = new ResourceUse(Map.of("gpu", 2));
    assertThat(use.atStart()).isEqualTo("{\"limits\":{\"gpu\":2},\"held\":{}}");
    assertThat(use.after(event(TaskEvent.Kind.STARTED, new Train(1))))
        .isEqualTo("{\"limits\":{\"gpu\":2},\"held\":{\"gpu\":1,\"memory_gb\":4}}");
    assertThat(use.after(event(TaskEvent.Kind.STARTED, new Train(2))))
        .isEqualTo("{\"limits\":{\"gpu\":2},\"held\":{\"gpu\":2,\"memory_gb\":8}}");
    assertThat(use.after(event(TaskEvent.Kind.RETRYING, new Train(1))))
        .isEqualTo("{\"limits\":{\"gpu\":2},\"held\":{\"gpu\":1,\"memory_gb\":4}}");
    assertThat(use.after(event(TaskEvent.Kind.SUCCEEDED, new Train(2))))
        .isEqualTo("{\"limits\":{\"gpu\":2},\"held\":{\"gpu\":0,\"memory_gb\":0}}");
    assertThat(use.after(event(TaskEvent.Kind.FAILED, new Train(2)))).as("not running: nothing to give back").isNull();
  }

  @Test
  void aRunWithoutLimitsWhoseTasksHoldNothingTellsNothing() {
    ResourceUse use = new ResourceUse(Map.of());
    assertThat(use.atStart()).isNull();
    assertThat(use.after(event(TaskEvent.Kind.STARTED, new Plain()))).isNull();
    assertThat(use.after(event(TaskEvent.Kind.SUCCEEDED, new Plain()))).isNull();
  }

  @Test
  void aTaskHoldingResourcesAfterPlainOnesIsStillGivenBackAtItsEnd() {
    ResourceUse use = new ResourceUse(Map.of());
    assertThat(use.after(event(TaskEvent.Kind.STARTED, new Plain()))).isNull();
    assertThat(use.after(event(TaskEvent.Kind.SUCCEEDED, new Plain()))).isNull();
    assertThat(use.after(event(TaskEvent.Kind.STARTED, new Train(1))))
        .isEqualTo("{\"limits\":{},\"held\":{\"gpu\":1,\"memory_gb\":4}}");
    assertThat(use.after(event(TaskEvent.Kind.SUCCEEDED, new Plain()))).as("holds nothing").isNull();
    assertThat(use.after(event(TaskEvent.Kind.SUCCEEDED, new Train(1))))
        .isEqualTo("{\"limits\":{},\"held\":{\"gpu\":0,\"memory_gb\":0}}");
  }
}
