package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Done means outputs exist: complete tasks are skipped and what they require is not even looked at. */
class CompletenessTest {

  static Path dir;
  static final Map<TaskId, AtomicInteger> completeCalls = new ConcurrentHashMap<>();
  static final Map<TaskId, AtomicInteger> requiresCalls = new ConcurrentHashMap<>();
  static final Map<TaskId, AtomicInteger> runs = new ConcurrentHashMap<>();

  @BeforeEach
  void setUp(@TempDir Path tempDir) {
    dir = tempDir;
    completeCalls.clear();
    requiresCalls.clear();
    runs.clear();
  }

  static int count(Map<TaskId, AtomicInteger> calls, Task task) {
    AtomicInteger count = calls.get(task.id());
    return count == null ? 0 : count.get();
  }

  /** A task that counts how often the engine asks it things. */
  interface Counted extends Task {
    List<Task> deps();

    String name();

    @Override
    default List<Task> requires() {
      requiresCalls.computeIfAbsent(id(), k -> new AtomicInteger()).incrementAndGet();
      return deps();
    }

    @Override
    default boolean complete() {
      completeCalls.computeIfAbsent(id(), k -> new AtomicInteger()).incrementAndGet();
      return Task.super.complete();
    }

    @Override
    default LocalTarget output() {
      return LocalTarget.of(dir.resolve(name() + ".txt"));
    }

    @Override
    default void run(TaskContext ctx) throws Exception {
      runs.computeIfAbsent(id(), k -> new AtomicInteger()).incrementAndGet();
      ((LocalTarget) output()).writeString(name());
    }
  }

  record Leaf(String name) implements Counted {
    public List<Task> deps() {
      return List.of();
    }
  }

  record Mid(String name, List<String> leaves) implements Counted {
    public List<Task> deps() {
      return leaves.stream().map(l -> (Task) new Leaf(l)).toList();
    }
  }

  record Top(String name, List<String> mids) implements Counted {
    public List<Task> deps() {
      return mids.stream().map(m -> (Task) new Mid(m, List.of("shared", m + "-own"))).toList();
    }
  }

  private static Sluice sluice() {
    return Sluice.builder().workers(2).stateDir(dir.resolve(".sluice")).build();
  }

  @Test
  void secondRunDoesNothing() {
    Top top = new Top("top", List.of("left", "right"));
    RunResult first = sluice().run(top);
    assertThat(first.exitCode()).isEqualTo(ExitCode.SUCCESS);
    assertThat(first.count(TaskStatus.DONE)).isEqualTo(6);

    RunResult second = sluice().run(top);

    assertThat(second.exitCode()).isEqualTo(ExitCode.SUCCESS);
    assertThat(second.count(TaskStatus.DONE)).isZero();
    assertThat(second.statuses()).containsExactly(Map.entry(top.id(), TaskStatus.COMPLETE));
    assertThat(runs.values()).allSatisfy(count -> assertThat(count).hasValue(1));
    assertThat(second.verdict()).isEqualTo("Nothing to do: everything was complete already.");
  }

  @Test
  void completeSubtreeIsNotExpanded() {
    Mid done = new Mid("left", List.of("shared", "left-own"));
    TestFiles.write(done.output().path(), "made earlier");
    Top top = new Top("top", List.of("left"));

    RunResult result = sluice().run(top);

    assertThat(result.status(top)).isEqualTo(TaskStatus.DONE);
    assertThat(result.status(done)).isEqualTo(TaskStatus.COMPLETE);
    assertThat(count(requiresCalls, done)).as("requires() of a complete task").isZero();
    assertThat(count(completeCalls, new Leaf("shared"))).isZero();
    assertThat(result.status(new Leaf("shared"))).as("not in the graph at all").isNull();
    assertThat(runs).containsOnlyKeys(top.id());
  }

  @Test
  void completeIsCalledOncePerTaskWhileBuildingTheGraph() throws InterruptedException {
    // Both mids require Leaf(shared): a diamond, yet every task is checked once.
    Top top = new Top("top", List.of("left", "right"));

    TaskGraph graph = sluice().graph(List.of(top), false);

    assertThat(graph.tasks()).hasSize(6);
    assertThat(completeCalls).hasSize(6);
    assertThat(completeCalls.values()).allSatisfy(count -> assertThat(count).hasValue(1));
    assertThat(requiresCalls.values()).allSatisfy(count -> assertThat(count).hasValue(1));
    assertThat(graph.toRun()).hasSize(6).endsWith(top);
  }

  @Test
  void completeTasksAreCheckedOnceInARunAndTheirRequirementsNotAtAll() throws Exception {
    Top top = new Top("top", List.of("left", "right"));
    sluice().run(top);
    Files.delete(top.output().path());
    completeCalls.clear();

    RunResult rerun = sluice().run(top);

    assertThat(rerun.count(TaskStatus.DONE)).isEqualTo(1);
    assertThat(count(completeCalls, new Mid("left", List.of("shared", "left-own")))).isEqualTo(1);
    assertThat(count(completeCalls, new Mid("right", List.of("shared", "right-own")))).isEqualTo(1);
    assertThat(completeCalls.keySet()).extracting(TaskId::family).doesNotContain("Leaf");
  }

  @Test
  void graphCanShowTheWholeTreeOfACompleteRoot() throws InterruptedException {
    Top top = new Top("top", List.of("left"));
    sluice().run(top);

    TaskGraph pruned = sluice().graph(List.of(top), false);
    TaskGraph whole = sluice().graph(List.of(top), true);

    assertThat(pruned.tasks()).containsExactly(top);
    assertThat(pruned.complete(top)).isTrue();
    assertThat(pruned.toRun()).isEmpty();
    assertThat(whole.tasks()).hasSize(4);
    assertThat(whole.requires(new Mid("left", List.of("shared", "left-own"))))
        .containsExactly(new Leaf("shared"), new Leaf("left-own"));
  }

  @Test
  void dryRunReportsWhatWouldRunAndRunsNothing() {
    Leaf already = new Leaf("shared");
    TestFiles.write(already.output().path(), "x");
    Mid mid = new Mid("m", List.of("shared", "m-own"));

    RunResult result = Sluice.builder().dryRun(true).stateDir(dir.resolve(".sluice")).build().run(mid);

    assertThat(result.statuses()).containsOnly(
        Map.entry(mid.id(), TaskStatus.WOULD_RUN),
        Map.entry(new Leaf("m-own").id(), TaskStatus.WOULD_RUN),
        Map.entry(already.id(), TaskStatus.COMPLETE));
    assertThat(runs).isEmpty();
    assertThat(result.exitCode()).isEqualTo(ExitCode.SUCCESS);
    assertThat(result.verdict()).isEqualTo("Dry run: 2 tasks would run, 1 complete already.");
  }
}
