package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.TaskLocks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exit code says what happened; the most severe outcome wins. */
class ExitCodeTest {

  static Path dir;
  static CountDownLatch started;

  @BeforeEach
  void setUp(@TempDir Path tempDir) {
    dir = tempDir;
    started = new CountDownLatch(1);
  }

  record Ok(String name) implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve(name));
    }

    public void run(TaskContext ctx) throws Exception {
      output().writeString(name);
    }
  }

  record Broken() implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("broken"));
    }

    public void run(TaskContext ctx) {
      throw new IllegalStateException("broken");
    }
  }

  record Absent() implements ExternalTask {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("absent"));
    }
  }

  record Needs(Task dep) implements Task {
    public List<Task> requires() {
      return List.of(dep);
    }

    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("needs-" + dep.id().family()));
    }

    public void run(TaskContext ctx) throws Exception {
      output().writeString("done");
    }
  }

  record Loop() implements Task {
    public List<Task> requires() {
      return List.of(new Loop());
    }

    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("loop"));
    }
  }

  /** Blocks until interrupted. */
  record Blocking() implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("blocking"));
    }

    public void run(TaskContext ctx) throws Exception {
      output().writeString("partial");
      started.countDown();
      new CountDownLatch(1).await();
    }
  }

  private static Sluice.Builder sluice() {
    return Sluice.builder().workers(2).stateDir(dir.resolve(".sluice"));
  }

  @Test
  void exitCodesHaveTheirDocumentedNumbers() {
    assertThat(ExitCode.SUCCESS.code()).isZero();
    assertThat(ExitCode.TASK_FAILED.code()).isEqualTo(1);
    assertThat(ExitCode.SCHEDULING_ERROR.code()).isEqualTo(2);
    assertThat(ExitCode.MISSING_EXTERNAL.code()).isEqualTo(3);
    assertThat(ExitCode.UPSTREAM_FAILED.code()).isEqualTo(4);
    assertThat(ExitCode.ALREADY_RUNNING.code()).isEqualTo(5);
    assertThat(ExitCode.INTERRUPTED.code()).isEqualTo(130);
  }

  @Test
  void mostSevereStatusDecidesTheExitCode() {
    assertThat(ExitCode.of(List.of())).isEqualTo(ExitCode.SUCCESS);
    assertThat(ExitCode.of(List.of(TaskStatus.DONE, TaskStatus.COMPLETE))).isEqualTo(ExitCode.SUCCESS);
    assertThat(ExitCode.of(List.of(TaskStatus.DONE, TaskStatus.UPSTREAM_FAILED)))
        .isEqualTo(ExitCode.UPSTREAM_FAILED);
    assertThat(ExitCode.of(List.of(TaskStatus.UPSTREAM_FAILED, TaskStatus.ALREADY_RUNNING)))
        .isEqualTo(ExitCode.ALREADY_RUNNING);
    assertThat(ExitCode.of(List.of(TaskStatus.ALREADY_RUNNING, TaskStatus.MISSING)))
        .isEqualTo(ExitCode.MISSING_EXTERNAL);
    assertThat(ExitCode.of(List.of(TaskStatus.MISSING, TaskStatus.FAILED, TaskStatus.UPSTREAM_FAILED)))
        .isEqualTo(ExitCode.TASK_FAILED);
    assertThat(ExitCode.of(List.of(TaskStatus.FAILED, TaskStatus.INTERRUPTED))).isEqualTo(ExitCode.INTERRUPTED);
    assertThat(ExitCode.of(List.of(TaskStatus.DONE, TaskStatus.PENDING))).isEqualTo(ExitCode.INTERRUPTED);
  }

  @Test
  void successIsZero() {
    assertThat(sluice().build().run(new Ok("a")).exitCode()).isEqualTo(ExitCode.SUCCESS);
  }

  @Test
  void failedTaskIsOne() {
    RunResult result = sluice().build().run(new Needs(new Broken()), new Ok("a"));

    assertThat(result.exitCode()).isEqualTo(ExitCode.TASK_FAILED);
    assertThat(result.exitCode().code()).isEqualTo(1);
  }

  @Test
  void schedulingErrorIsTwo() {
    RunResult result = sluice().build().run(new Loop());

    assertThat(result.exitCode().code()).isEqualTo(2);
    assertThat(result.schedulingError()).startsWith("Cycle: Loop() -> Loop()");
  }

  @Test
  void missingExternalDataIsThree() {
    RunResult result = sluice().build().run(new Needs(new Absent()), new Ok("a"));

    assertThat(result.exitCode()).isEqualTo(ExitCode.MISSING_EXTERNAL);
    assertThat(result.exitCode().code()).isEqualTo(3);
  }

  @Test
  void taskHeldByAnotherProcessPastTheLockTimeoutIsFive() throws Exception {
    Ok held = new Ok("held");
    // Another run of the project, as a process joins it.
    try (TaskLocks otherProcess = TaskLocks.joined(dir.resolve(".sluice"));
        TaskLocks.Held lock = otherProcess.acquire(held.id(), Duration.ZERO)) {
      assertThat(lock).isNotNull();

      RunResult result = sluice().lockTimeout(Duration.ofMillis(50)).build().run(new Needs(held), new Ok("a"));

      assertThat(result.status(held)).isEqualTo(TaskStatus.ALREADY_RUNNING);
      assertThat(result.status(new Needs(held))).isEqualTo(TaskStatus.UPSTREAM_FAILED);
      assertThat(result.status(new Ok("a"))).isEqualTo(TaskStatus.DONE);
      assertThat(result.exitCode()).isEqualTo(ExitCode.ALREADY_RUNNING);
      assertThat(result.exitCode().code()).isEqualTo(5);
      assertThat(held.output().exists()).isFalse();
    }
  }

  @Test
  void cancelledRunIs130AndStopsItsRunningTasks() throws Exception {
    Sluice sluice = sluice().build();
    Needs after = new Needs(new Blocking());
    CompletableFuture<RunResult> run = CompletableFuture.supplyAsync(() -> sluice.run(after));
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

    sluice.cancel();
    RunResult result = run.get(10, TimeUnit.SECONDS);

    assertThat(result.exitCode()).isEqualTo(ExitCode.INTERRUPTED);
    assertThat(result.exitCode().code()).isEqualTo(130);
    assertThat(result.status(new Blocking())).isEqualTo(TaskStatus.INTERRUPTED);
    assertThat(result.status(after)).isEqualTo(TaskStatus.INTERRUPTED);
    assertThat(TestFiles.under(dir)).as("the interrupted task's partial output is gone").isEmpty();
  }
}
