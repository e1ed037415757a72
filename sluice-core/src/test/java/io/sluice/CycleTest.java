package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A task cannot require itself: a cycle is a scheduling error naming its path, and nothing runs. */
class CycleTest {

  static Path dir;
  static final Set<String> ran = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void setUp(@TempDir Path tempDir) {
    dir = tempDir;
    ran.clear();
  }

  /** Behaviour shared by the tasks below: an output named after the family, a run that is recorded. */
  interface Recorded extends Task {
    @Override
    default LocalTarget output() {
      return LocalTarget.of(dir.resolve(id().toString()));
    }

    @Override
    default void run(TaskContext ctx) throws Exception {
      ran.add(id().toString());
      output().writeString("ran");
    }
  }

  record A() implements Recorded {
    public List<Task> requires() {
      return List.of(new B());
    }
  }

  record B() implements Recorded {
    public List<Task> requires() {
      return List.of(new C());
    }
  }

  record C() implements Recorded {
    public List<Task> requires() {
      return List.of(new A());
    }
  }

  /** Requires an independent task and the A -> B -> C -> A cycle. */
  record Root() implements Recorded {
    public List<Task> requires() {
      return List.of(new Independent(), new B());
    }
  }

  record Independent() implements Recorded {}

  record Self(int n) implements Recorded {
    public List<Task> requires() {
      return List.of(new Self(n));
    }
  }

  /** Wrappers: no outputs, so their completeness is that of what they require. */
  record WrapperA() implements WrapperTask {
    public List<Task> requires() {
      return List.of(new WrapperB());
    }
  }

  record WrapperB() implements WrapperTask {
    public List<Task> requires() {
      return List.of(new WrapperA());
    }
  }

  private static Sluice sluice() {
    return Sluice.builder().workers(2).stateDir(dir.resolve(".sluice")).build();
  }

  @Test
  void cycleIsASchedulingErrorNamingItsPathAndNothingRuns() {
    RunResult result = sluice().run(new A());

    assertThat(result.exitCode()).isEqualTo(ExitCode.SCHEDULING_ERROR);
    assertThat(result.schedulingError()).isEqualTo(
        "Cycle: A() -> B() -> C() -> A(). A task cannot require itself, directly or through others.");
    assertThat(result.statuses()).isEmpty();
    assertThat(ran).isEmpty();
  }

  @Test
  void cycleBelowTheRootStopsTheWholeRunAndIsNamedFromWhereItCloses() {
    RunResult result = sluice().run(new Root());

    assertThat(result.exitCode()).isEqualTo(ExitCode.SCHEDULING_ERROR);
    assertThat(result.schedulingError()).startsWith("Cycle: B() -> C() -> A() -> B().");
    assertThat(ran).as("not even the independent branch runs").isEmpty();
  }

  @Test
  void taskRequiringItselfIsACycleOfOne() {
    RunResult result = sluice().run(new Self(7));

    assertThat(result.schedulingError()).startsWith("Cycle: Self(n=7) -> Self(n=7).");
  }

  @Test
  void cycleOfTasksWithoutOutputsIsReportedAsACycle() {
    RunResult result = sluice().run(new WrapperA());

    assertThat(result.exitCode()).as(result.summary()).isEqualTo(ExitCode.SCHEDULING_ERROR);
    assertThat(result.schedulingError()).startsWith("Cycle: WrapperA() -> WrapperB() -> WrapperA().");
  }

  @Test
  void buildingTheGraphOfACycleThrows() {
    assertThatThrownBy(() -> sluice().graph(List.of(new A()), false))
        .isInstanceOf(SchedulingException.class)
        .hasMessageStartingWith("Cycle: A() -> B() -> C() -> A().");
  }

  @Test
  void completeTaskBreaksTheCycleSinceItIsNotExpanded() {
    TestFiles.write(new C().output().path(), "made by hand");

    RunResult result = sluice().run(new A());

    assertThat(result.exitCode()).isEqualTo(ExitCode.SUCCESS);
    assertThat(ran).containsExactlyInAnyOrder("B()", "A()");
  }
}
