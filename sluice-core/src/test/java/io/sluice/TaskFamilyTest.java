package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task's family names it in ids, on the command line and in sluice.toml: two classes with
 * one simple name must not silently become one task.
 */
class TaskFamilyTest {

  @TempDir
  Path dir;

  /** Stands for a package {@code a}. */
  static final class A {
    record Train(Path dir) implements Task {
      public LocalTarget output() {
        return LocalTarget.of(dir.resolve("a.txt"));
      }

      public void run(TaskContext ctx) throws Exception {
        output().writeString("a");
      }
    }
  }

  /** Stands for a package {@code b}, with a task of the same simple name. */
  static final class B {
    record Train(Path dir) implements Task {
      public LocalTarget output() {
        return LocalTarget.of(dir.resolve("b.txt"));
      }

      public void run(TaskContext ctx) throws Exception {
        output().writeString("b");
      }
    }

    @Family("BTrain")
    record NamedTrain(Path dir) implements Task {
      public LocalTarget output() {
        return LocalTarget.of(dir.resolve("b-named.txt"));
      }

      public void run(TaskContext ctx) throws Exception {
        output().writeString("b");
      }
    }
  }

  record Both(List<Task> requires) implements Task {}

  private Sluice sluice() {
    return Sluice.builder().workers(2).stateDir(dir.resolve(".sluice")).build();
  }

  @Test
  void twoTaskClassesWithOneSimpleNameAreRefusedAtGraphTimeNamingBoth() {
    RunResult result = sluice().run(new Both(List.of(new A.Train(dir), new B.Train(dir))));

    assertThat(result.exitCode()).isEqualTo(ExitCode.SCHEDULING_ERROR);
    assertThat(result.schedulingError())
        .contains("Train")
        .contains(A.Train.class.getName())
        .contains(B.Train.class.getName())
        .contains("@Family(\"BTrain\")");
    assertThat(dir.resolve("a.txt")).doesNotExist();
    assertThat(dir.resolve("b.txt")).doesNotExist();
  }

  @Test
  void aClashFoundWhileExpandingRequirementsIsRefusedToo() {
    Task wrapper = new Both(List.of(new Both(List.of(new A.Train(dir))), new Both(List.of(new B.Train(dir)))));

    RunResult result = sluice().run(wrapper);

    assertThat(result.exitCode()).isEqualTo(ExitCode.SCHEDULING_ERROR);
    assertThat(result.schedulingError()).contains(A.Train.class.getName()).contains(B.Train.class.getName());
  }

  @Test
  void planningTheGraphRefusesTheClashAsWell() {
    assertThatThrownBy(() -> sluice().graph(List.of(new Both(List.of(new A.Train(dir), new B.Train(dir)))), true))
        .isInstanceOf(SchedulingException.class)
        .hasMessageContaining(A.Train.class.getName());
  }

  @Test
  void theFamilyAnnotationTellsTwoClassesApart() {
    RunResult result = sluice().run(new Both(List.of(new A.Train(dir), new B.NamedTrain(dir))));

    assertThat(result.exitCode()).isEqualTo(ExitCode.SUCCESS);
    assertThat(new B.NamedTrain(dir).id().family()).isEqualTo("BTrain");
    assertThat(new A.Train(dir).id().family()).isEqualTo("Train");
    assertThat(dir.resolve("a.txt")).hasContent("a");
    assertThat(dir.resolve("b-named.txt")).hasContent("b");
  }

  @Family("bad name")
  record Spaced() implements Task {}

  @Family("lower")
  record Lower() implements Task {}

  @Test
  void aFamilyNameMustBeUsableOnTheCommandLineAndInSluiceToml() {
    assertThatThrownBy(() -> new Spaced().id())
        .isInstanceOf(SchedulingException.class)
        .hasMessageContaining("'bad name'")
        .hasMessageContaining(Spaced.class.getName())
        .hasMessageContaining("capital letter");
    assertThatThrownBy(() -> new Lower().id()).hasMessageContaining("'lower'");
  }
}
