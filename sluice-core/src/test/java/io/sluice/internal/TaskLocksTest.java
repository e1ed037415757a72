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

  @Test
  void aRunAloneHoldsATaskWithoutTheKernelsLockAndARunComingLaterStillWaitsForIt() throws Exception {
    Path runs = dir.resolve("runs");
    Path lockFile = dir.resolve("locks");
    TaskId train = new TaskId("Train", Map.of());
    try (OtherProcesses alone = OtherProcesses.join(runs);
        TaskLocks locks = new TaskLocks(lockFile, alone);
        TaskLocks plain = new TaskLocks(lockFile)) {
      TaskLocks.Held held = locks.acquire(train, Duration.ZERO);
      assertThat(held).isNotNull();
      // No lock of the kernel taken: one that does not look at intents gets it.
      try (TaskLocks.Held blind = onAnotherThread(() -> plain.acquire(train, Duration.ZERO))) {
        assertThat(blind).as("held by intent only").isNotNull();
      }

      Process later = lockHolder("Train", 300);
      try {
        assertThat(said(later)).as("a process joining later sees the intent").isEqualTo("busy");
      } finally {
        stop(later);
      }
      held.close();
      held.close();  // once only
      Process after = lockHolder("Train", 300);
      try {
        assertThat(said(after)).isEqualTo("held");
      } finally {
        stop(after);
      }
    }
  }

  @Test
  void aRunThatIsNoLongerAloneTakesTheKernelsLockWhichAnotherProcessWaitsFor() throws Exception {
    Path runs = dir.resolve("runs");
    TaskId train = new TaskId("Train", Map.of());
    try (OtherProcesses first = OtherProcesses.join(runs);
        TaskLocks locks = new TaskLocks(dir.resolve("locks"), first)) {
      Process other = lockHolder("Other", 300);
      TaskLocks.Held held;
      try {
        assertThat(said(other)).isEqualTo("held");
        held = locks.acquire(train, Duration.ZERO);
        assertThat(held).isNotNull();
        assertThat(first.intend(TaskLocks.offset(train))).as("no intent once another run joined").isEqualTo(-1);
      } finally {
        stop(other);
      }
      Process later = lockHolder("Train", 300);
      try {
        assertThat(said(later)).as("the kernel's lock, seen by any process").isEqualTo("busy");
      } finally {
        stop(later);
        held.close();
      }
    }
  }

  @Test
  void anIntentLeftByARunThatEndedHoldsNothing() throws Exception {
    Path runs = dir.resolve("runs");
    TaskId train = new TaskId("Train", Map.of());
    OtherProcesses gone = OtherProcesses.join(runs);
    TaskLocks goneLocks = new TaskLocks(dir.resolve("locks"), gone);
    assertThat(goneLocks.acquire(train, Duration.ZERO)).isNotNull();
    try (OtherProcesses second = OtherProcesses.join(runs);
        TaskLocks locks = new TaskLocks(dir.resolve("locks"), second)) {
      assertThat(locks.acquire(train, Duration.ofMillis(200))).as("held by a run still there").isNull();
      gone.close();  // as a process that died holding it: its slot is free, its table not cleared
      goneLocks.close();
      try (TaskLocks.Held held = locks.acquire(train, Duration.ofMillis(200))) {
        assertThat(held).isNotNull();
      }
    }
  }

  private interface Acquire {
    TaskLocks.Held get() throws Exception;
  }

  private static TaskLocks.Held onAnotherThread(Acquire acquire) throws Exception {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return acquire.get();
      } catch (Exception e) {
        throw new CompletionException(e);
      }
    }).get(10, TimeUnit.SECONDS);
  }

  /** A JVM that joins the project's runs and tries to take the task's lock for {@code waitMs}; returns once it joined. */
  private Process lockHolder(String family, long waitMs) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        TaskLockHolder.class.getName(), dir.resolve("runs").toString(), dir.resolve("locks").toString(), family,
        Long.toString(waitMs)).redirectErrorStream(true).start();
    assertThat(said(process)).isEqualTo("joined");
    return process;
  }

  private static String said(Process process) throws Exception {
    StringBuilder line = new StringBuilder();
    for (int c = process.getInputStream().read(); c != -1 && c != '\n'; c = process.getInputStream().read()) {
      line.append((char) c);
    }
    return line.toString();
  }

  private static void stop(Process process) throws Exception {
    process.getOutputStream().close();
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
  }
}
