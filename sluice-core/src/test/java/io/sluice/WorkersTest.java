package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** N workers run up to N ready tasks at once, never a task before what it requires. */
class WorkersTest {

  static Path dir;
  static CyclicBarrier barrier;
  static CountDownLatch bothStarted;
  /** How long a Counts task waits for the other to start: long when they should overlap. */
  static long patienceMillis;
  static final AtomicInteger running = new AtomicInteger();
  static final AtomicInteger mostAtOnce = new AtomicInteger();
  static final Set<String> workerNames = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void setUp(@TempDir Path tempDir) {
    dir = tempDir;
    barrier = new CyclicBarrier(2);
    bothStarted = new CountDownLatch(2);
    running.set(0);
    mostAtOnce.set(0);
    workerNames.clear();
  }

  /** Succeeds only if another task reaches the barrier while it waits there. */
  record Meets(String name) implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve(name));
    }

    public void run(TaskContext ctx) throws Exception {
      barrier.await(10, TimeUnit.SECONDS);
      output().writeString(name);
    }
  }

  /**
   * Counts how many tasks run at once. Each gives the other a fair chance to start while it
   * runs: it waits for the other to have started too, at most {@code patienceMillis}.
   */
  record Counts(String name) implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve(name));
    }

    public void run(TaskContext ctx) throws Exception {
      int now = running.incrementAndGet();
      mostAtOnce.accumulateAndGet(now, Math::max);
      bothStarted.countDown();
      bothStarted.await(patienceMillis, TimeUnit.MILLISECONDS);
      mostAtOnce.accumulateAndGet(running.get(), Math::max);
      running.decrementAndGet();
      output().writeString(name);
    }
  }

  /** Link i requires link i - 1; each notes the worker that ran it. */
  record Link(int index) implements Task {
    public List<Link> requires() {
      return index == 0 ? List.of() : List.of(new Link(index - 1));
    }

    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("link-" + index));
    }

    public void run(TaskContext ctx) throws Exception {
      workerNames.add(Thread.currentThread().getName());
      output().writeString("x");
    }
  }

  /** Checks that everything it requires is in place when it starts. */
  record Gather(int fanIn) implements Task {
    public List<Meets> requires() {
      return IntStream.range(0, fanIn).mapToObj(i -> new Meets("part-" + i)).toList();
    }

    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("gathered"));
    }

    public void run(TaskContext ctx) throws Exception {
      StringBuilder all = new StringBuilder();
      for (Target input : ctx.inputs()) {
        all.append(Files.readString(((LocalTarget) input).path()));
      }
      output().writeString(all.toString());
    }
  }

  private static Sluice sluice(int workers) {
    return Sluice.builder().workers(workers).stateDir(dir.resolve(".sluice")).build();
  }

  /** Meets another at the barrier, and notes the run's worker threads alive meanwhile. */
  record SeesWorkers(String name) implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve(name));
    }

    public void run(TaskContext ctx) throws Exception {
      barrier.await(10, TimeUnit.SECONDS);
      Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
          .filter(name -> name.startsWith("sluice-worker-")).forEach(workerNames::add);
      output().writeString(name);
    }
  }

  @Test
  void aRunStartsNoMoreWorkersThanItHasTasksToRun() {
    RunResult result = sluice(100_000).run(new SeesWorkers("a"), new SeesWorkers("b"));

    assertThat(result.exitCode()).as(result.summary()).isEqualTo(ExitCode.SUCCESS);
    assertThat(workerNames).as("two tasks, two workers, though 100,000 were allowed").hasSize(2);
  }

  /** Requires, while it runs, three tasks that only succeed together. */
  record RequiresThreeAtOnce() implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("three"));
    }

    public void run(TaskContext ctx) throws Exception {
      barrier = new CyclicBarrier(3);
      ctx.require(List.of(new Meets("x"), new Meets("y"), new Meets("z")));
      output().writeString("three");
    }
  }

  @Test
  void workersAreAddedForTasksRequiredWhileTheRunGoesOn() {
    RunResult result = sluice(4).run(new RequiresThreeAtOnce());

    assertThat(result.exitCode()).as("one task to run at the start, three more at once later: " + result.summary())
        .isEqualTo(ExitCode.SUCCESS);
  }

  @Test
  void twoWorkersRunTwoIndependentTasksAtOnce() {
    RunResult result = sluice(2).run(new Meets("a"), new Meets("b"));

    assertThat(result.exitCode()).as(result.summary()).isEqualTo(ExitCode.SUCCESS);
    assertThat(result.count(TaskStatus.DONE)).isEqualTo(2);
  }

  @Test
  void oneWorkerRunsOneTaskAtATime() {
    patienceMillis = 200;
    RunResult result = sluice(1).run(new Counts("a"), new Counts("b"));

    assertThat(result.count(TaskStatus.DONE)).isEqualTo(2);
    assertThat(mostAtOnce).hasValue(1);
  }

  @Test
  void twoWorkersDoRunTwoAtATime() {
    // The same probe as above sees the overlap when there is one.
    patienceMillis = 10_000;
    sluice(2).run(new Counts("a"), new Counts("b"));

    assertThat(mostAtOnce).hasValue(2);
  }

  @Test
  void taskStartsOnlyWhenEverythingItRequiresIsDone() {
    RunResult result = sluice(4).run(new Gather(2));

    assertThat(result.status(new Gather(2))).isEqualTo(TaskStatus.DONE);
    assertThat(TestFiles.read(dir.resolve("gathered"))).isEqualTo("part-0part-1");
  }

  @Test
  void aChainStaysWithTheWorkerThatRunsItInsteadOfHoppingToAnIdleOneAtEachLink() {
    RunResult result = sluice(2).run(new Link(199));

    assertThat(result.exitCode()).as(result.summary()).isEqualTo(ExitCode.SUCCESS);
    assertThat(result.count(TaskStatus.DONE)).isEqualTo(200);
    assertThat(workerNames).hasSize(1);
  }

  @Test
  void workerCountMustBePositive() {
    assertThatThrownBy(() -> Sluice.builder().workers(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("workers is 0");
  }
}
