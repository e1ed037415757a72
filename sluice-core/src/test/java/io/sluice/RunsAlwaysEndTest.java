package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whatever tasks and listeners throw or ignore, a run ends, with a summary and its exit code. */
class RunsAlwaysEndTest {

  /** Far more than any of these runs needs; reaching it means the run hung. */
  private static final Duration HUNG = Duration.ofSeconds(20);

  static Path dir;
  static CountDownLatch letStubbornGo;
  static volatile Thread stubbornThread;
  static final AtomicInteger stubbornCalls = new AtomicInteger();

  @BeforeEach
  void setUp(@TempDir Path tempDir) {
    dir = tempDir;
    letStubbornGo = new CountDownLatch(1);
    stubbornThread = null;
    stubbornCalls.set(0);
  }

  record Fine(String name) implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve(name));
    }

    public void run(TaskContext ctx) throws Exception {
      output().writeString(name);
    }
  }

  /**
   * On its first call, ignores its timeout's interrupt until the test lets it go, then writes
   * its output late; later calls write at once.
   */
  record Stubborn() implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("stubborn.txt"));
    }

    public Optional<Duration> timeout() {
      return Optional.of(Duration.ofMillis(200));
    }

    public void run(TaskContext ctx) throws Exception {
      if (stubbornCalls.incrementAndGet() > 1) {
        output().writeString("from a later run");
        return;
      }
      stubbornThread = Thread.currentThread();
      while (letStubbornGo.getCount() > 0) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      }
      output().writeString("written late");
    }
  }

  record ResourcesThrow() implements Task {
    public Resources resources() {
      throw new AssertionError("resources() is broken");
    }

    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("r"));
    }
  }

  record PriorityThrows() implements Task {
    public int priority() {
      throw new NoClassDefFoundError("priority() is broken");
    }

    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("p"));
    }
  }

  record RequiresThrows() implements Task {
    public List<Task> requires() {
      throw new LinkageError("requires() is broken");
    }

    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("q"));
    }
  }

  record OutputThrows() implements Task {
    public LocalTarget output() {
      throw new AssertionError("output() is broken");
    }
  }

  /** Complete() works when the graph is built and throws an Error when checked again before running. */
  record CompleteThrowsLater() implements Task {
    static final AtomicInteger calls = new AtomicInteger();

    public boolean complete() {
      if (calls.incrementAndGet() > 1) {
        throw new AssertionError("complete() is broken");
      }
      return false;
    }

    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("c"));
    }
  }

  record TimeoutThrows() implements Task {
    public Optional<Duration> timeout() {
      throw new ExceptionInInitializerError("timeout() is broken");
    }

    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("t"));
    }
  }

  record RunThrowsError() implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("e"));
    }

    public void run(TaskContext ctx) {
      throw new StackOverflowError("run() is broken");
    }
  }

  @Test
  void listenerThrowingAnErrorOnEveryEventDoesNotStopTheRun() {
    TaskListener throwing = new TaskListener() {
      @Override
      public void graphBuilt(int total, int toRun) {
        throw new AssertionError("listener bug in graphBuilt");
      }

      @Override
      public void onEvent(TaskEvent event) {
        throw new AssertionError("listener bug on " + event.kind());
      }

      @Override
      public void runFinished(RunResult result) {
        throw new OutOfMemoryError("listener bug at the end");
      }
    };
    RecordingListener recording = new RecordingListener();
    Sluice sluice = Sluice.builder().workers(2).stateDir(dir.resolve(".sluice"))
        .listener(throwing).listener(recording).build();

    RunResult result = assertTimeoutPreemptively(HUNG, () -> sluice.run(new Fine("a"), new Fine("b"), new Fine("c")));

    assertThat(result.exitCode()).isEqualTo(ExitCode.SUCCESS);
    assertThat(result.count(TaskStatus.DONE)).isEqualTo(3);
    assertThat(recording.kinds(new Fine("b"))).containsExactly(TaskEvent.Kind.STARTED, TaskEvent.Kind.SUCCEEDED);
    assertThat(recording.finished()).isSameAs(result);
  }

  /** Needs the one before it. */
  record Next(Task before) implements Task {
    public List<Task> requires() {
      return List.of(before);
    }

    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("next"));
    }

    public void run(TaskContext ctx) throws Exception {
      output().writeString("next");
    }
  }

  @Test
  void listenerIsCalledOutsideTheEnginesLockSoItMayWaitForAnotherThreadUsingTheEngine() {
    Sluice[] sluice = new Sluice[1];
    TaskListener cancelsFromAnotherThread = new TaskListener() {
      @Override
      public void onEvent(TaskEvent event) {
        if (event.kind() == TaskEvent.Kind.SUCCEEDED) {
          java.util.concurrent.CompletableFuture.runAsync(() -> sluice[0].cancel()).join();
        }
      }
    };
    sluice[0] = Sluice.builder().workers(1).stateDir(dir.resolve(".sluice")).listener(cancelsFromAnotherThread).build();

    RunResult result = assertTimeoutPreemptively(HUNG, () -> sluice[0].run(new Next(new Fine("first"))));

    assertThat(result.status(new Fine("first"))).isEqualTo(TaskStatus.DONE);
    assertThat(result.status(new Next(new Fine("first")))).isEqualTo(TaskStatus.INTERRUPTED);
    assertThat(result.exitCode()).isEqualTo(ExitCode.INTERRUPTED);
  }

  @Test
  void taskIgnoringItsTimeoutIsAbandonedAfterTheGraceItsLockFreedAndWhatItWritesLaterDiscarded()
      throws Exception {
    Sluice sluice = Sluice.builder().workers(1).stateDir(dir.resolve(".sluice"))
        .timeoutGrace(Duration.ofMillis(100)).lockTimeout(Duration.ofSeconds(2)).build();

    long start = System.nanoTime();
    RunResult result = assertTimeoutPreemptively(HUNG, () -> sluice.run(new Stubborn(), new Fine("after")));
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(result.status(new Stubborn())).isEqualTo(TaskStatus.FAILED);
    assertThat(result.reasons().get(new Stubborn().id()))
        .contains("timed out after 0.2s", "did not stop within 0.1s", "abandoned");
    // The one worker slot went to a replacement: the other task still ran.
    assertThat(result.status(new Fine("after"))).isEqualTo(TaskStatus.DONE);
    assertThat(result.exitCode()).isEqualTo(ExitCode.TASK_FAILED);
    assertThat(result.summary()).contains("Stubborn()", "abandoned");
    assertThat(took).isLessThan(Duration.ofSeconds(5));

    // Its lock is free: another run takes it at once instead of waiting for the abandoned thread.
    RunResult again = assertTimeoutPreemptively(HUNG, () -> Sluice.builder().stateDir(dir.resolve(".sluice"))
        .lockTimeout(Duration.ofMillis(500)).build().run(new Stubborn()));
    assertThat(again.status(new Stubborn())).isEqualTo(TaskStatus.DONE);

    // Its abandoned worker ends once the task returns, without committing what it wrote.
    letStubbornGo.countDown();
    stubbornThread.join(HUNG.toMillis());
    assertThat(stubbornThread.isAlive()).isFalse();
    assertThat(TestFiles.read(new Stubborn().output().path())).isEqualTo("from a later run");
  }

  @Test
  void errorsThrownByAnyMethodOfATaskFailThatTaskAndTheRunEnds() {
    Fine after = new Fine("after");
    Sluice sluice = Sluice.builder().workers(2).stateDir(dir.resolve(".sluice")).build();
    List<Task> roots = List.of(new ResourcesThrow(), new PriorityThrows(), new RequiresThrows(), new OutputThrows(),
        new CompleteThrowsLater(), new TimeoutThrows(), new RunThrowsError(), after);

    RunResult result = assertTimeoutPreemptively(HUNG, () -> sluice.run(roots));

    assertThat(result.exitCode()).isEqualTo(ExitCode.TASK_FAILED);
    assertThat(result.status(after)).isEqualTo(TaskStatus.DONE);
    // Seven failures, and why the eighth task ran.
    assertThat(result.reasons()).hasSize(8);
    assertThat(result.reasons().get(after.id())).endsWith(" missing");
    assertThat(result.reasons().get(new ResourcesThrow().id())).contains("AssertionError: resources() is broken");
    assertThat(result.reasons().get(new PriorityThrows().id())).contains("priority() is broken");
    assertThat(result.reasons().get(new RequiresThrows().id())).contains("requires() is broken");
    assertThat(result.reasons().get(new OutputThrows().id())).contains("output() is broken");
    assertThat(result.reasons().get(new CompleteThrowsLater().id())).contains("complete() is broken");
    assertThat(result.reasons().get(new TimeoutThrows().id())).contains("timeout() is broken");
    assertThat(result.reasons().get(new RunThrowsError().id())).contains("run() is broken");
    assertThat(result.summary()).contains("7 failed");
  }
}
