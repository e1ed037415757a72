package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failure stops what depends on it, and nothing else. */
class FailureContainmentTest {

  static Path dir;
  static final Set<String> ran = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void setUp(@TempDir Path tempDir) {
    dir = tempDir;
    ran.clear();
  }

  /** Writes its name; requires the named tasks; fails when its name starts with "broken". */
  record Step(String name, List<Step> deps) implements Task {
    Step(String name, Step... deps) {
      this(name, List.of(deps));
    }

    public List<Step> requires() {
      return deps;
    }

    public LocalTarget output() {
      return LocalTarget.of(dir.resolve(name + ".txt"));
    }

    public void run(TaskContext ctx) throws Exception {
      ran.add(name);
      if (name.startsWith("broken")) {
        throw new IllegalStateException(name + " is broken");
      }
      output().writeString(name);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** Its requires() throws: the graph cannot be expanded below it. */
  record Unexpandable() implements Task {
    public List<Task> requires() {
      throw new IllegalArgumentException("no such partition: 2024-02-30");
    }

    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("unexpandable.txt"));
    }
  }

  /** Its requires() lists a null among its tasks. */
  record RequiresANull() implements Task {
    public List<Task> requires() {
      return java.util.Arrays.asList(new Step("fine"), null);
    }

    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("requires-a-null.txt"));
    }
  }

  private static Sluice sluice(int workers) {
    return Sluice.builder().workers(workers).stateDir(dir.resolve(".sluice")).build();
  }

  @Test
  void failedTaskFailsItsDependentsButNotIndependentBranches() {
    Step broken = new Step("broken");
    Step afterBroken = new Step("afterBroken", broken);
    Step fine = new Step("fine");
    Step afterFine = new Step("afterFine", fine);
    Step root = new Step("root", afterBroken, afterFine);

    RunResult result = sluice(1).run(root);

    assertThat(result.status(broken)).isEqualTo(TaskStatus.FAILED);
    assertThat(result.reasons().get(broken.id())).isEqualTo("IllegalStateException: broken is broken");
    assertThat(result.status(afterBroken)).isEqualTo(TaskStatus.UPSTREAM_FAILED);
    assertThat(result.reasons().get(afterBroken.id())).contains("requires " + broken.id()).contains("failed");
    assertThat(result.status(root)).isEqualTo(TaskStatus.UPSTREAM_FAILED);
    assertThat(result.reasons().get(root.id())).contains("requires " + afterBroken.id());
    assertThat(result.status(fine)).isEqualTo(TaskStatus.DONE);
    assertThat(result.status(afterFine)).isEqualTo(TaskStatus.DONE);
    assertThat(ran).containsExactlyInAnyOrder("broken", "fine", "afterFine");
    assertThat(TestFiles.under(dir)).containsExactly("afterFine.txt", "fine.txt");
    assertThat(result.exitCode()).isEqualTo(ExitCode.TASK_FAILED);
  }

  @Test
  void independentBranchesRunWhateverTheWorkerCount() {
    for (int workers : new int[] {1, 2, 4}) {
      ran.clear();
      Step root = new Step("root" + workers, new Step("broken" + workers),
          new Step("a" + workers, new Step("b" + workers)), new Step("c" + workers));

      RunResult result = sluice(workers).run(root);

      assertThat(ran).as("with %d workers", workers)
          .containsExactlyInAnyOrder("broken" + workers, "a" + workers, "b" + workers, "c" + workers);
      assertThat(result.count(TaskStatus.DONE)).isEqualTo(3);
      assertThat(result.status(root)).isEqualTo(TaskStatus.UPSTREAM_FAILED);
    }
  }

  @Test
  void taskRequiredByManyIsRunOnceAndItsFailureReachesThemAll() {
    Step broken = new Step("broken-shared");
    Step root = new Step("root", new Step("x", broken), new Step("y", broken), new Step("z", new Step("w", broken)));

    RunResult result = sluice(2).run(root);

    assertThat(result.count(TaskStatus.FAILED)).isEqualTo(1);
    assertThat(result.count(TaskStatus.UPSTREAM_FAILED)).isEqualTo(5);
    assertThat(ran).containsExactly("broken-shared");
  }

  @Test
  void taskThatRequiresANullFailsSayingSoWithoutATraceIntoTheEngine() {
    RunResult result = sluice(1).run(new RequiresANull());

    assertThat(result.status(new RequiresANull())).isEqualTo(TaskStatus.FAILED);
    assertThat(result.reasons().get(new RequiresANull().id()))
        .isEqualTo("IllegalArgumentException: its requires() returned a null task among its requirements");
    assertThat(result.exitCode()).isEqualTo(ExitCode.TASK_FAILED);
  }

  @Test
  void taskWhoseRequirementsCannotBeListedFailsAndNothingBelowRuns() {
    Step root = new Step("root");
    RunResult result = sluice(1).run(new Unexpandable(), root);

    assertThat(result.status(new Unexpandable())).isEqualTo(TaskStatus.FAILED);
    assertThat(result.reasons().get(new Unexpandable().id()))
        .isEqualTo("IllegalArgumentException: no such partition: 2024-02-30");
    assertThat(result.status(root)).isEqualTo(TaskStatus.DONE);
    assertThat(result.exitCode()).isEqualTo(ExitCode.TASK_FAILED);
  }

  record Absent() implements ExternalTask {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("absent.csv"));
    }
  }

  record NeedsBoth(Task first, Task second) implements Task {
    public List<Task> requires() {
      return List.of(first, second);
    }

    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("needs-both.txt"));
    }

    public void run(TaskContext ctx) throws Exception {
      output().writeString("both");
    }
  }

  @Test
  void taskWithAFailedAndAMissingRequirementNamesBothInTheSummary() {
    NeedsBoth needsBoth = new NeedsBoth(new Step("broken-feed"), new Absent());

    RunResult result = sluice(1).run(needsBoth);

    assertThat(result.status(needsBoth)).isEqualTo(TaskStatus.UPSTREAM_FAILED);
    assertThat(result.reasons().get(needsBoth.id()))
        .contains("requires " + new Step("broken-feed").id() + ", which failed")
        .contains("requires Absent(), which is missing external data");
    assertThat(result.summary()).contains("which failed", "which is missing external data");
  }
}
