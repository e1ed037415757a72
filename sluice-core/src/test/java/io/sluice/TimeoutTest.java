package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An attempt that runs past its task's timeout is interrupted and fails. */
class TimeoutTest {

  static Path dir;

  @BeforeEach
  void setUp(@TempDir Path tempDir) {
    dir = tempDir;
  }

  /** Writes part of its output, then waits for something that never comes. */
  record Stuck() implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("stuck.txt"));
    }

    public Optional<Duration> timeout() {
      return Optional.of(Duration.ofMillis(200));
    }

    public void run(TaskContext ctx) throws Exception {
      output().writeString("partial");
      new CountDownLatch(1).await();
    }
  }

  /** Ignores interrupts, but stops when its context says it is cancelled, returning normally. */
  record Polite() implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("polite.txt"));
    }

    public Optional<Duration> timeout() {
      return Optional.of(Duration.ofMillis(100));
    }

    public void run(TaskContext ctx) throws Exception {
      output().writeString("partial");
      while (!ctx.cancelled()) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
      }
    }
  }

  /** Hangs on its first attempt only. */
  record HangsOnce() implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("hangs-once.txt"));
    }

    public Optional<Duration> timeout() {
      return Optional.of(Duration.ofMillis(300));
    }

    public RetryPolicy retryPolicy() {
      return RetryPolicy.builder().maxAttempts(2).build();
    }

    public void run(TaskContext ctx) throws Exception {
      if (ctx.attempt() == 1) {
        new CountDownLatch(1).await();
      }
      output().writeString("attempt " + ctx.attempt());
    }
  }

  record Quick() implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("quick.txt"));
    }

    public Optional<Duration> timeout() {
      return Optional.of(Duration.ofSeconds(30));
    }

    public void run(TaskContext ctx) throws Exception {
      output().writeString("quick");
    }
  }

  private static Sluice sluice() {
    return Sluice.builder().workers(2).stateDir(dir.resolve(".sluice")).sleeper(new RecordingSleeper()).build();
  }

  @Test
  void blockedTaskFailsWithTimedOutAndLeavesNoOutput() {
    RunResult result = sluice().run(new Stuck());

    assertThat(result.status(new Stuck())).isEqualTo(TaskStatus.FAILED);
    assertThat(result.reasons().get(new Stuck().id())).contains("timed out after 0.2s");
    assertThat(result.exitCode()).isEqualTo(ExitCode.TASK_FAILED);
    assertThat(TestFiles.under(dir)).isEmpty();
  }

  @Test
  void taskThatReturnsAfterItsTimeoutStillFails() {
    RunResult result = sluice().run(new Polite());

    assertThat(result.status(new Polite())).isEqualTo(TaskStatus.FAILED);
    assertThat(result.reasons().get(new Polite().id())).contains("timed out after 0.1s");
    assertThat(TestFiles.under(dir)).isEmpty();
  }

  @Test
  void timeoutAppliesToEachAttempt() {
    RunResult result = sluice().run(new HangsOnce());

    assertThat(result.status(new HangsOnce())).isEqualTo(TaskStatus.DONE);
    assertThat(TestFiles.read(new HangsOnce().output().path())).isEqualTo("attempt 2");
  }

  @Test
  void taskWithinItsTimeoutSucceedsAndOthersAreUnaffectedByATimeout() {
    RunResult result = sluice().run(new Quick(), new Stuck());

    assertThat(result.status(new Quick())).isEqualTo(TaskStatus.DONE);
    assertThat(result.status(new Stuck())).isEqualTo(TaskStatus.FAILED);
    assertThat(TestFiles.under(dir)).containsExactly("quick.txt");
  }
}
