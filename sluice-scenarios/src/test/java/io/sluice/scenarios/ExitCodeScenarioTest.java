package io.sluice.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.scenarios.ScenarioPipeline.BrokenSource;
import io.sluice.scenarios.ScenarioPipeline.RawMeasurements;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs that fail or cannot start, seen from outside: exit code, stdout and files left. */
class ExitCodeScenarioTest {

  @TempDir Path tempDir;

  @Test
  void failedTaskFailsItsDependentsButNotTheIndependentBranchAndExits1() throws Exception {
    Path project = ProjectFiles.create(tempDir);

    try (ChildJvm child = ChildJvm.start(project, "failing", "failing-branch")) {
      int exit = child.awaitExit();

      assertThat(exit).as(child.output()).isEqualTo(1);
      // One worker and BrokenSource first (priority): the good branch ran after the failure.
      assertThat(ProjectFiles.under(project.resolve("out"))).as(child.output())
          .containsExactly("good-report.txt", "good-source.txt");
      assertThat(child.stdout()).as(child.output())
          .contains("* 1 failed:", "BrokenSource(): IOException: " + BrokenSource.ERROR)
          .contains("* 2 not run because upstream failed:",
              "BrokenReport(): requires BrokenSource(), which failed",
              "FinalReport(): requires BrokenReport(), which was not run")
          .contains("* 2 ran successfully:", "GoodSource()", "GoodReport()")
          .contains("exit code 1, a task failed");
    }
  }

  @Test
  void missingExternalDataExits3NamingTheFileAndWritesNothing() throws Exception {
    Path project = ProjectFiles.create(tempDir);

    try (ChildJvm child = ChildJvm.start(project, "missing", "missing-external")) {
      int exit = child.awaitExit();

      assertThat(exit).as(child.output()).isEqualTo(3);
      assertThat(child.stdout()).as(child.output())
          .contains("missing external data: " + RawMeasurements.PATH)
          .contains("CleanMeasurements(): requires RawMeasurements(), which is missing external data")
          .contains("exit code 3, missing external data");
      assertThat(ProjectFiles.under(project)).as(child.output()).isEmpty();
    }
  }

  @Test
  void cycleExits2PrintingTheCycleAndWritesNothing() throws Exception {
    Path project = ProjectFiles.create(tempDir);

    try (ChildJvm child = ChildJvm.start(project, "cycle", "cycle")) {
      int exit = child.awaitExit();

      assertThat(exit).as(child.output()).isEqualTo(2);
      assertThat(child.stdout()).as(child.output())
          .contains("Scheduling error, nothing ran: Cycle: CycleA() -> CycleB() -> CycleC() -> CycleA()");
      assertThat(ProjectFiles.under(project)).as(child.output()).isEmpty();
    }
  }
}
