package io.sluice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.TaskId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Task locks belong to one lock file: they neither reach other projects nor pile up. */
class TaskLocksTest {

  private static final long PINNED_OFFSET = 2793639556305410262L;

  @TempDir
  Path dir;

  @Test
  void aTaskLocksTheSameByteInEveryProcess() {
    // Pinned: processes of one project meet only if they compute the same offset for a task.
    assertThat(TaskLocks.offset(new TaskId("Train", Map.of("alpha", 0.5)))).isEqualTo(PINNED_OFFSET);
    assertThat(TaskLocks.offset(new TaskId("Train", Map.of("alpha", 0.25)))).isNotEqualTo(PINNED_OFFSET);
  }

  @Test
  void locksOfTwoStateDirectoriesDoNotBlockEachOther() throws Exception {
    TaskId id = new TaskId("Train", Map.of("alpha", 0.5));
    try (TaskLocks first = new TaskLocks(dir.resolve("one/locks"));
        TaskLocks second = new TaskLocks(dir.resolve("two/locks"));
        TaskLocks.Held held = first.acquire(id, Duration.ZERO)) {
      assertThat(held).isNotNull();

      // Another thread, as another run's worker would: the holder's own thread could re-enter.
      CompletableFuture<Boolean> other = CompletableFuture.supplyAsync(() -> {
        try (TaskLocks.Held lock = second.acquire(id, Duration.ZERO)) {
          return lock != null && !lock.waited();
        } catch (Exception e) {
          throw new CompletionException(e);
        }
      });
      assertThat(other.get(10, TimeUnit.SECONDS)).as("the same task locked under another state directory").isTrue();
    }
  }

  @Test
  void oneLockFileStillLetsOneHolderAtATime() throws Exception {
    TaskId id = new TaskId("Train", Map.of());
    try (TaskLocks locks = new TaskLocks(dir.resolve("locks"));
        TaskLocks.Held held = locks.acquire(id, Duration.ZERO)) {
      Thread other = new Thread(() -> {
        try {
          assertThat(locks.acquire(id, Duration.ZERO)).isNull();
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
      other.start();
      other.join();
      assertThat(held).isNotNull();
    }
  }

  @Test
  void releasedLocksLeaveNoEntryBehind() throws Exception {
    try (TaskLocks locks = new TaskLocks(dir.resolve("locks"))) {
      for (int i = 0; i < 1000; i++) {
        try (TaskLocks.Held held = locks.acquire(new TaskId("Step", Map.of("i", i)), Duration.ZERO)) {
          assertThat(held).isNotNull();
          assertThat(locks.inProcessEntries()).isEqualTo(1);
        }
      }
      assertThat(locks.inProcessEntries()).isZero();

      TaskId held = new TaskId("Step", Map.of("i", 1));
      try (TaskLocks.Held lock = locks.acquire(held, Duration.ZERO)) {
        assertThat(locks.acquire(held, Duration.ofMillis(1))).as("a second holder gives up").isNull();
        assertThat(locks.inProcessEntries()).isEqualTo(1);
      }
      assertThat(locks.inProcessEntries()).isZero();
    }
  }
}
