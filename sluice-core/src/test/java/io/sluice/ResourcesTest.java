package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

/** Tasks hold named resources while they run; limits cap how much runs at once. */
class ResourcesTest {

  static Path dir;
  static CyclicBarrier barrier;
  static CountDownLatch twoStarted;
  /** How long an OnGpu task waits for another to start: long when they should overlap. */
  static long patienceMillis;
  static final AtomicInteger gpusInUse = new AtomicInteger();
  static final AtomicInteger mostGpusAtOnce = new AtomicInteger();
  static final Set<String> ran = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void setUp(@TempDir Path tempDir) {
    dir = tempDir;
    barrier = new CyclicBarrier(2);
    twoStarted = new CountDownLatch(2);
    gpusInUse.set(0);
    mostGpusAtOnce.set(0);
    ran.clear();
  }

  /** Needs one GPU; counts GPUs in use, giving the others a fair chance to start meanwhile. */
  record OnGpu(int i) implements Task {
    public Resources resources() {
      return Resources.of("gpu", 1);
    }

    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("gpu-" + i));
    }

    public void run(TaskContext ctx) throws Exception {
      ran.add("gpu-" + i);
      mostGpusAtOnce.accumulateAndGet(gpusInUse.incrementAndGet(), Math::max);
      twoStarted.countDown();
      twoStarted.await(patienceMillis, TimeUnit.MILLISECONDS);
      mostGpusAtOnce.accumulateAndGet(gpusInUse.get(), Math::max);
      gpusInUse.decrementAndGet();
      output().writeString("trained");
    }
  }

  /** Succeeds only if another task reaches the barrier while it waits there. */
  record Meets(String name, int gpus) implements Task {
    public Resources resources() {
      return gpus == 0 ? Resources.none() : Resources.of("gpu", gpus);
    }

    public LocalTarget output() {
      return LocalTarget.of(dir.resolve(name));
    }

    public void run(TaskContext ctx) throws Exception {
      barrier.await(10, TimeUnit.SECONDS);
      output().writeString(name);
    }
  }

  record Simple(String name, int gpus) implements Task {
    public Resources resources() {
      return Resources.of("gpu", gpus);
    }

    public LocalTarget output() {
      return LocalTarget.of(dir.resolve(name));
    }

    public void run(TaskContext ctx) throws Exception {
      ran.add(name);
      output().writeString(name);
    }
  }

  record Both(List<Task> parts) implements Task {
    public List<Task> requires() {
      return parts;
    }

    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("both"));
    }

    public void run(TaskContext ctx) throws Exception {
      ran.add("both");
      output().writeString("both");
    }
  }

  private static Sluice sluice(Map<String, Integer> limits) {
    return Sluice.builder().workers(2).resourceLimits(limits).stateDir(dir.resolve(".sluice")).build();
  }

  @Test
  void tasksNeedingTheLastUnitOfAResourceNeverOverlap() {
    patienceMillis = 200;
    List<Task> trainings = IntStream.range(0, 3).mapToObj(i -> (Task) new OnGpu(i)).toList();

    RunResult result = sluice(Map.of("gpu", 1)).run(trainings);

    assertThat(result.count(TaskStatus.DONE)).isEqualTo(3);
    assertThat(mostGpusAtOnce).hasValue(1);
  }

  @Test
  void twoRunsOfOneProjectKeepToTheLimitTogether() throws Exception {
    patienceMillis = 300;  // each task waits that long for another to start on a GPU
    RecordingListener events = new RecordingListener();
    java.util.concurrent.ExecutorService runs = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      var first = runs.submit(() -> sluice(Map.of("gpu", 1)).run(new OnGpu(0), new OnGpu(1)));
      var second = runs.submit(() -> Sluice.builder().workers(2).resourceLimits(Map.of("gpu", 1))
          .stateDir(dir.resolve(".sluice")).listener(events).build().run(new OnGpu(2), new OnGpu(3)));

      assertThat(first.get().count(TaskStatus.DONE)).isEqualTo(2);
      assertThat(second.get().count(TaskStatus.DONE)).isEqualTo(2);
    } finally {
      runs.shutdownNow();
    }

    assertThat(mostGpusAtOnce).as("GPUs in use at once by both runs").hasValue(1);
  }

  /** Needs the GPU, and requires while it runs a task that needs it too. */
  record RequiresOnGpu() implements Task {
    public Resources resources() {
      return Resources.of("gpu", 1);
    }

    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("outer"));
    }

    public void run(TaskContext ctx) throws Exception {
      ctx.require(new Simple("inner", 1));
      output().writeString("outer");
    }
  }

  @Test
  void aTaskWaitingForWhatItRequiresWhileItRunsLendsItsUnitsToThem() {
    RunResult result = Sluice.builder().workers(1).resourceLimits(Map.of("gpu", 1)).lockTimeout(java.time.Duration.ofSeconds(3))
        .stateDir(dir.resolve(".sluice")).build().run(new RequiresOnGpu());

    assertThat(result.exitCode()).as(result.summary()).isEqualTo(ExitCode.SUCCESS);
    assertThat(ran).contains("inner");
  }

  /** Holds a GPU until told to let go. */
  record Holds() implements Task {
    static CountDownLatch started;
    static CountDownLatch letGo;

    public Resources resources() {
      return Resources.of("gpu", 1);
    }

    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("holds"));
    }

    public void run(TaskContext ctx) throws Exception {
      started.countDown();
      letGo.await(10, TimeUnit.SECONDS);
      output().writeString("held");
    }
  }

  @Test
  void aTaskWaitsForUnitsAnotherRunHoldsSaysSoAndFailsPastTheLockTimeout() throws Exception {
    Holds.started = new CountDownLatch(1);
    Holds.letGo = new CountDownLatch(1);
    java.util.concurrent.ExecutorService runs = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      var holding = runs.submit(() -> sluice(Map.of("gpu", 1)).run(new Holds()));
      assertThat(Holds.started.await(10, TimeUnit.SECONDS)).isTrue();
      RecordingListener events = new RecordingListener();

      RunResult waiting = Sluice.builder().resourceLimits(Map.of("gpu", 2, "memory_gb", 4)).lockTimeout(java.time.Duration.ofMillis(300))
          .stateDir(dir.resolve(".sluice")).listener(events).build().run(new Simple("needs-two", 2));

      assertThat(waiting.statuses()).containsValue(TaskStatus.FAILED);
      assertThat(waiting.summary()).contains("other runs of the project held gpu=2 for longer than the lock timeout");
      assertThat(events.events()).anyMatch(e -> e.kind() == TaskEvent.Kind.NOTE
          && e.message().equals("waiting for gpu=2, which other runs of the project hold"));
      assertThat(ran).doesNotContain("needs-two");

      RecordingListener patient = new RecordingListener();
      var patientRun = java.util.concurrent.Executors.newSingleThreadExecutor();
      var waitsLonger = patientRun.submit(() -> Sluice.builder()
          .resourceLimits(Map.of("gpu", 1)).stateDir(dir.resolve(".sluice")).listener(patient).build()
          .run(new Simple("waits-longer", 1)));
      while (patient.events().stream().noneMatch(e -> e.kind() == TaskEvent.Kind.NOTE)) {
        Thread.onSpinWait();
      }
      Holds.letGo.countDown();
      RunResult waited = waitsLonger.get(10, TimeUnit.SECONDS);
      patientRun.shutdown();
      assertThat(waited.exitCode()).isEqualTo(ExitCode.SUCCESS);
      assertThat(waited.notes().values()).singleElement().asString()
          .matches("waited \\d+\\.\\d s for gpu=1, which other runs of the project held");
      assertThat(holding.get().exitCode()).isEqualTo(ExitCode.SUCCESS);
      RecordingListener after = new RecordingListener();
      assertThat(Sluice.builder().resourceLimits(Map.of("gpu", 1)).stateDir(dir.resolve(".sluice")).listener(after).build()
          .run(new Simple("needs-one", 1)).notes()).as("nobody holds the GPU now: no wait, no note").isEmpty();
      assertThat(sluice(Map.of("gpu", 2)).run(new Simple("needs-two", 2)).exitCode()).as("all units free again")
          .isEqualTo(ExitCode.SUCCESS);
    } finally {
      Holds.letGo.countDown();
      runs.shutdownNow();
    }
  }

  @Test
  void withoutALimitAResourceIsUnlimited() {
    patienceMillis = 10_000;
    List<Task> trainings = IntStream.range(0, 3).mapToObj(i -> (Task) new OnGpu(i)).toList();

    sluice(Map.of()).run(trainings);

    assertThat(mostGpusAtOnce).hasValue(2);
  }

  @Test
  void limitHoldsBackOnlyTasksThatNeedTheResource() {
    RunResult result = sluice(Map.of("gpu", 1)).run(new Meets("on-gpu", 1), new Meets("on-cpu", 0));

    assertThat(result.exitCode()).as(result.summary()).isEqualTo(ExitCode.SUCCESS);
  }

  @Test
  void twoTasksThatFitTogetherRunTogether() {
    RunResult result = sluice(Map.of("gpu", 2)).run(new Meets("a", 1), new Meets("b", 1));

    assertThat(result.exitCode()).as(result.summary()).isEqualTo(ExitCode.SUCCESS);
  }

  @Test
  void taskNeedingMoreThanTheLimitIsASchedulingErrorAndNothingRuns() {
    Simple tooBig = new Simple("too-big", 2);

    RunResult result = sluice(Map.of("gpu", 1)).run(new Both(List.of(new Simple("fits", 1), tooBig)));

    assertThat(result.exitCode()).isEqualTo(ExitCode.SCHEDULING_ERROR);
    assertThat(result.schedulingError()).contains(tooBig.id().toString()).contains("gpu=2").contains("gpu=1");
    assertThat(ran).isEmpty();
    assertThat(result.statuses()).isEmpty();
    assertThat(result.verdict()).startsWith("Scheduling error, nothing ran: Task Simple(name=too-big, gpus=2) needs gpu=2");
  }

  @Test
  void amountsAndLimitsMustNotBeNegative() {
    assertThatThrownBy(() -> Resources.of("gpu", -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'gpu' has amount -1");
    assertThatThrownBy(() -> Sluice.builder().resourceLimits(Map.of("gpu", -1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gpu=-1");
  }

  @Test
  void resourcesCombine() {
    assertThat(Resources.of("gpu", 1).and("memory_gb", 8).amounts())
        .containsExactly(Map.entry("gpu", 1), Map.entry("memory_gb", 8));
    assertThat(Resources.none().isEmpty()).isTrue();
  }

  /** Takes a little while on a GPU, so that without a reservation another one always runs. */
  record Ranked(String name, int priority, int gpus, List<Task> deps) implements Task {
    public List<Task> requires() {
      return deps;
    }

    public Resources resources() {
      return gpus == 0 ? Resources.none() : Resources.of("gpu", gpus);
    }

    public int priority() {
      return priority;
    }

    public LocalTarget output() {
      return LocalTarget.of(dir.resolve(name));
    }

    public void run(TaskContext ctx) throws Exception {
      Thread.sleep(gpus == 1 ? 30 : 0);
      output().writeString(name);
    }
  }

  @Test
  void highPriorityTaskNeedingMoreIsNotStarvedByLowerPriorityTasksNeedingLess() {
    Ranked big = new Ranked("big", 10, 2, List.of(new Ranked("gate", 0, 0, List.of())));
    List<Task> roots = new java.util.ArrayList<>();
    roots.add(big);
    IntStream.range(0, 8).forEach(i -> roots.add(new Ranked("small-" + i, 0, 1, List.of())));
    RecordingListener listener = new RecordingListener();

    RunResult result = Sluice.builder().workers(2).resourceLimits(Map.of("gpu", 2)).listener(listener)
        .stateDir(dir.resolve(".sluice")).build().run(roots);

    assertThat(result.exitCode()).isEqualTo(ExitCode.SUCCESS);
    // Once the gate is done, "big" is first in line: the small ones get no GPU until it had both.
    assertThat(listener.startOrder().indexOf(big.id())).as(listener.startOrder().toString()).isLessThanOrEqualTo(2);
  }
}
