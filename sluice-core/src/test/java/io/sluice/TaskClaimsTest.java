package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's side of once-only across machines: it claims each task before running it, asks
 * the claim just before committing the outputs, and releases it once, whatever the outcome.
 */
class TaskClaimsTest {

  static Path dir;
  static final AtomicInteger runs = new AtomicInteger();

  @BeforeEach
  void setUp(@TempDir Path tempDir) {
    dir = tempDir;
    runs.set(0);
  }

  record Work(String name) implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve(name + ".txt"));
    }

    public RetryPolicy retryPolicy() {
      return RetryPolicy.builder().maxAttempts(3).backoff(Duration.ZERO, Duration.ZERO).build();
    }

    public void run(TaskContext ctx) throws IOException {
      runs.incrementAndGet();
      output().writeString(name);
    }
  }

  /** Claims as told, and records what the engine asked of it. */
  static final class ScriptedClaims implements TaskClaims {
    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile boolean grant = true;
    volatile boolean waited;
    volatile String takenOverBy;
    volatile Runnable whileWaiting = () -> {};
    /** What the engine said was ready next at each claim. */
    final List<List<TaskId>> readyNext = new CopyOnWriteArrayList<>();

    @Override
    public Claim claim(TaskId task, Duration timeout, java.util.function.IntFunction<List<TaskId>> next) {
      readyNext.add(next.apply(8));
      return claim(task, timeout);
    }

    @Override
    public void runEnded() {
      calls.add("run ended");
    }

    @Override
    public Claim claim(TaskId task, Duration timeout) {
      calls.add("claim " + task);
      if (!grant) {
        return null;
      }
      whileWaiting.run();
      return new Claim() {
        @Override
        public boolean waited() {
          return waited;
        }

        @Override
        public void checkStillOwned() throws IOException {
          calls.add("check " + task);
          if (takenOverBy != null) {
            throw new IOException("the lease on " + task + " was taken over by " + takenOverBy);
          }
        }

        @Override
        public void release() {
          calls.add("release " + task);
        }
      };
    }
  }

  private static RunResult run(ScriptedClaims claims, Task task) {
    return Sluice.builder().stateDir(dir.resolve(".sluice")).claims(claims).build().run(task);
  }

  @Test
  void aClaimedTaskIsCheckedBeforeItsCommitAndReleasedOnce() {
    ScriptedClaims claims = new ScriptedClaims();
    Work work = new Work("a");

    RunResult result = run(claims, work);

    assertThat(result.status(work)).isEqualTo(TaskStatus.DONE);
    assertThat(claims.calls).containsExactly("claim Work(name=a)", "check Work(name=a)", "release Work(name=a)",
        "run ended");
  }

  record Three() implements WrapperTask {
    public List<Task> requires() {
      return List.of(new Work("a"), new Work("b"), new Work("c"));
    }
  }

  @Test
  void eachClaimIsToldWhichTasksAreReadyNextAndTheClaimsHearWhenTheRunEnds() {
    ScriptedClaims claims = new ScriptedClaims();

    RunResult result = Sluice.builder().stateDir(dir.resolve(".sluice")).workers(1).claims(claims).build()
        .run(new Three());

    assertThat(result.exitCode()).isEqualTo(ExitCode.SUCCESS);
    // One worker: the first claim sees the two other pieces ready, the third none, nor the wrapper.
    assertThat(claims.readyNext).hasSize(4);
    assertThat(claims.readyNext.get(0)).hasSize(2);
    assertThat(claims.readyNext.get(1)).hasSize(1);
    assertThat(claims.readyNext.get(2)).isEmpty();
    assertThat(claims.readyNext.get(3)).isEmpty();
    assertThat(claims.calls).last().isEqualTo("run ended");
  }

  @Test
  void aTaskWhoseClaimWasTakenOverFailsSayingWhyCommitsNothingAndIsNotRetried() {
    ScriptedClaims claims = new ScriptedClaims();
    claims.takenOverBy = "run 20261130-190000-abcdef on host-b";
    Work work = new Work("a");

    RunResult result = run(claims, work);

    assertThat(result.status(work)).isEqualTo(TaskStatus.FAILED);
    assertThat(result.reasons().get(work.id())).contains("taken over by run 20261130-190000-abcdef on host-b");
    assertThat(work.output().path()).doesNotExist();
    assertThat(runs).hasValue(1);
    assertThat(claims.calls).filteredOn(call -> call.startsWith("release")).hasSize(1);
  }

  @Test
  void aTaskAnotherOwnerKeptPastTheLockTimeoutIsNotRun() {
    ScriptedClaims claims = new ScriptedClaims();
    claims.grant = false;
    Work work = new Work("a");

    RunResult result = run(claims, work);

    assertThat(result.status(work)).isEqualTo(TaskStatus.ALREADY_RUNNING);
    assertThat(result.reasons().get(work.id())).contains("another machine kept running Work(name=a)");
    assertThat(runs).hasValue(0);
  }

  @Test
  void aTaskCompletedByTheOwnerItWaitedForIsFoundCompleteAndNotRun() {
    ScriptedClaims claims = new ScriptedClaims();
    Work work = new Work("a");
    claims.waited = true;
    claims.whileWaiting = () -> {
      try {
        Files.writeString(work.output().path(), "from another machine");
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    };

    RunResult result = run(claims, work);

    assertThat(result.status(work)).isEqualTo(TaskStatus.COMPLETE);
    assertThat(runs).hasValue(0);
    assertThat(claims.calls).containsExactly("claim Work(name=a)", "release Work(name=a)", "run ended");
  }
}
