package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running task can require more tasks (TaskContext.require): it waits for them, without
 * running its code again, and without holding a worker while it waits.
 */
class DynamicDependenciesTest {

  static Path dir;
  static CyclicBarrier barrier;
  static final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

  @BeforeEach
  void setUp(@TempDir Path tempDir) {
    dir = tempDir;
    barrier = new CyclicBarrier(2);
    calls.clear();
  }

  static int count(String what) {
    AtomicInteger count = calls.get(what);
    return count == null ? 0 : count.get();
  }

  static void record(String what) {
    calls.computeIfAbsent(what, k -> new AtomicInteger()).incrementAndGet();
  }

  /** Writes its name; fails when asked to; optionally requires other parts statically. */
  record Part(String name, boolean fails, List<Part> deps) implements Task {
    Part(String name) {
      this(name, false, List.of());
    }

    public List<Part> requires() {
      return deps;
    }

    public LocalTarget output() {
      return LocalTarget.of(dir.resolve(name + ".txt"));
    }

    public void run(TaskContext ctx) throws Exception {
      record("run " + name);
      if (fails) {
        throw new IllegalStateException(name + " cannot be made");
      }
      output().writeString(name);
    }
  }

  /** Requires the given parts once it runs, then writes what they hold. */
  record Requester(String name, List<Part> parts) implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve(name + ".txt"));
    }

    public void run(TaskContext ctx) throws Exception {
      record("before " + name);
      List<Target> made = ctx.require(parts);
      record("after " + name);
      StringBuilder all = new StringBuilder();
      for (Target target : made) {
        all.append(((LocalTarget) target).readString());
      }
      output().writeString(all.toString());
    }
  }

  /** Requires one Requester dynamically: dynamic dependencies all the way down. */
  record Outer() implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("outer.txt"));
    }

    public void run(TaskContext ctx) throws Exception {
      record("before outer");
      LocalTarget inner = ctx.require(new Requester("inner", List.of(new Part("deep"))));
      output().writeString("outer(" + inner.readString() + ")");
    }
  }

  /** Two tasks that meet at a barrier: they succeed only if they run at the same time. */
  record Meets(String name) implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve(name + ".txt"));
    }

    public void run(TaskContext ctx) throws Exception {
      barrier.await(10, TimeUnit.SECONDS);
      output().writeString(name);
    }
  }

  record RequiresMeets() implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("met.txt"));
    }

    public void run(TaskContext ctx) throws Exception {
      ctx.require(List.of(new Meets("left"), new Meets("right")));
      output().writeString("met");
    }
  }

  /** Requires itself at run time. */
  record Narcissus() implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("narcissus.txt"));
    }

    public void run(TaskContext ctx) throws Exception {
      ctx.require(new Narcissus());
      output().writeString("never");
    }
  }

  /** Requires at run time a task that requires it statically. */
  record Chicken() implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("chicken.txt"));
    }

    public void run(TaskContext ctx) throws Exception {
      ctx.require(new Egg());
      output().writeString("chicken");
    }
  }

  record Egg() implements Task {
    public List<Task> requires() {
      return List.of(new Chicken());
    }

    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("egg.txt"));
    }

    public void run(TaskContext ctx) throws Exception {
      output().writeString("egg");
    }
  }

  /** Ping requires Pong at run time, and Pong requires Ping at run time. */
  record Ping() implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("ping.txt"));
    }

    public void run(TaskContext ctx) throws Exception {
      ctx.require(new Pong());
      output().writeString("ping");
    }
  }

  record Pong() implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("pong.txt"));
    }

    public void run(TaskContext ctx) throws Exception {
      ctx.require(new Ping());
      output().writeString("pong");
    }
  }

  /** Requires at run time a task that needs more GPUs than there are. */
  record NeedsBigMachine() implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("big.txt"));
    }

    public void run(TaskContext ctx) throws Exception {
      ctx.require(new Huge());
      output().writeString("big");
    }
  }

  record Huge() implements Task {
    public Resources resources() {
      return Resources.of("gpu", 8);
    }

    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("huge.txt"));
    }

    public void run(TaskContext ctx) throws Exception {
      output().writeString("huge");
    }
  }

  private static Sluice sluice(int workers) {
    return Sluice.builder().workers(workers).resourceLimits(Map.of("gpu", 1))
        .stateDir(dir.resolve(".sluice")).build();
  }

  @Test
  void codeBeforeRequireRunsOnceAndTheRequiredOutputsAreReturned() {
    Requester requester = new Requester("requester", List.of(new Part("a"), new Part("b")));

    RunResult result = sluice(1).run(requester);

    assertThat(result.exitCode()).as(result.summary()).isEqualTo(ExitCode.SUCCESS);
    assertThat(count("before requester")).isEqualTo(1);
    assertThat(count("after requester")).isEqualTo(1);
    assertThat(count("run a")).isEqualTo(1);
    assertThat(count("run b")).isEqualTo(1);
    assertThat(TestFiles.read(requester.output().path())).isEqualTo("ab");
  }

  @Test
  void dynamicallyRequiredTasksAreInTheResult() {
    Requester requester = new Requester("requester", List.of(new Part("a")));

    RunResult result = sluice(1).run(requester);

    assertThat(result.status(requester)).isEqualTo(TaskStatus.DONE);
    assertThat(result.status(new Part("a"))).isEqualTo(TaskStatus.DONE);
    assertThat(result.verdict()).isEqualTo("Success: 2 tasks ran, 0 complete already.");
  }

  @Test
  void oneWorkerDoesNotDeadlockOnNestedDynamicDependencies() {
    RunResult result = sluice(1).run(new Outer());

    assertThat(result.exitCode()).as(result.summary()).isEqualTo(ExitCode.SUCCESS);
    assertThat(TestFiles.read(dir.resolve("outer.txt"))).isEqualTo("outer(deep)");
    assertThat(count("before outer")).isEqualTo(1);
    assertThat(count("before inner")).isEqualTo(1);
  }

  @Test
  void waitingTaskGivesItsWorkerToItsDependencies() {
    // Two workers, one taken by the waiting task: the two parts still run side by side.
    RunResult result = sluice(2).run(new RequiresMeets());

    assertThat(result.exitCode()).as(result.summary()).isEqualTo(ExitCode.SUCCESS);
  }

  @Test
  void completeDynamicDependencyIsNotRunAgain() {
    TestFiles.write(dir.resolve("a.txt"), "made earlier");
    Requester requester = new Requester("requester", List.of(new Part("a")));

    RunResult result = sluice(1).run(requester);

    assertThat(result.status(requester)).isEqualTo(TaskStatus.DONE);
    assertThat(count("run a")).isZero();
    assertThat(TestFiles.read(requester.output().path())).isEqualTo("made earlier");
  }

  @Test
  void dynamicDependencyWithCompleteRequirementsRuns() {
    TestFiles.write(dir.resolve("base.txt"), "base");
    Part onTopOfBase = new Part("top", false, List.of(new Part("base")));
    Requester requester = new Requester("requester", List.of(onTopOfBase));

    RunResult result = sluice(1).run(requester);

    assertThat(result.exitCode()).as(result.summary()).isEqualTo(ExitCode.SUCCESS);
    assertThat(count("run top")).isEqualTo(1);
    assertThat(count("run base")).isZero();
  }

  @Test
  void dynamicDependencyWithIncompleteRequirementsRunsThemFirst() {
    Part onTopOfBase = new Part("top", false, List.of(new Part("base")));
    Requester requester = new Requester("requester", List.of(onTopOfBase));

    RunResult result = sluice(1).run(requester);

    assertThat(result.exitCode()).as(result.summary()).isEqualTo(ExitCode.SUCCESS);
    assertThat(count("run base")).isEqualTo(1);
    assertThat(TestFiles.read(requester.output().path())).isEqualTo("top");
  }

  @Test
  void failingDynamicDependencyFailsTheRequester() {
    Part broken = new Part("broken", true, List.of());
    Requester requester = new Requester("requester", List.of(new Part("fine"), broken));

    RunResult result = sluice(2).run(requester);

    assertThat(result.status(requester)).isEqualTo(TaskStatus.FAILED);
    assertThat(result.reasons().get(requester.id()))
        .contains("dynamic dependency " + broken.id() + " failed")
        .contains("broken cannot be made");
    assertThat(count("after requester")).isZero();
    assertThat(requester.output().exists()).isFalse();
    assertThat(result.exitCode()).isEqualTo(ExitCode.TASK_FAILED);
  }

  @Test
  void taskRequiringItselfAtRunTimeFailsInsteadOfWaitingForever() {
    RunResult result = sluice(1).run(new Narcissus());

    assertThat(result.status(new Narcissus())).isEqualTo(TaskStatus.FAILED);
    assertThat(result.reasons().get(new Narcissus().id())).startsWith("Cycle: Narcissus() -> Narcissus() (");
  }

  @Test
  void dynamicDependencyRequiringItsRequesterIsACycle() {
    RunResult result = sluice(1).run(new Chicken());

    assertThat(result.status(new Chicken())).isEqualTo(TaskStatus.FAILED);
    assertThat(result.reasons().get(new Chicken().id())).startsWith("Cycle: Chicken() -> Egg() -> Chicken() (");
    assertThat(result.exitCode()).isEqualTo(ExitCode.TASK_FAILED);
  }

  @Test
  void tasksRequiringEachOtherAtRunTimeFailInsteadOfWaitingForever() {
    RunResult result = sluice(1).run(new Ping());

    assertThat(result.status(new Ping())).isEqualTo(TaskStatus.FAILED);
    assertThat(result.summary()).contains("Cycle: Pong() -> Ping() -> Pong() (");
  }

  @Test
  void dynamicDependencyNeedingMoreThanTheLimitFailsItsRequester() {
    RunResult result = sluice(2).run(new NeedsBigMachine());

    assertThat(result.status(new NeedsBigMachine())).isEqualTo(TaskStatus.FAILED);
    assertThat(result.reasons().get(new NeedsBigMachine().id())).contains("Huge()").contains("gpu=8");
  }
}
