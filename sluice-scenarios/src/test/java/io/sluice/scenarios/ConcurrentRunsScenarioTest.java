package io.sluice.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two processes running the same pipeline on one project at the same time. */
class ConcurrentRunsScenarioTest {

  @TempDir Path tempDir;

  @Test
  void twoProcessesStartedTogetherRunTheSameTaskOnceAndBothSucceed() throws Exception {
    Path project = ProjectFiles.create(tempDir);

    try (ChildJvm a = ChildJvm.start(project, "a", "same-task-twice");
        ChildJvm b = ChildJvm.start(project, "b", "same-task-twice")) {
      int exitA = a.awaitExit();
      int exitB = b.awaitExit();
      String both = a.output() + b.output();

      assertThat(exitA).as(both).isZero();
      assertThat(exitB).as(both).isZero();
      // Both saw the task incomplete when they built their graphs (SlowOnce waits for that),
      // so only the cross-process lock kept the second from running it again.
      assertThat(a.stdout()).as(both).contains("graph total=1 toRun=1");
      assertThat(b.stdout()).as(both).contains("graph total=1 toRun=1");
      assertThat(Files.readAllLines(project.resolve("runs.log"))).as(both).hasSize(1);
      assertThat(project.resolve("out/slow.txt")).hasContent("slow result");

      List<ChildJvm> ran = List.of(a, b).stream().filter(c -> c.stdout().contains("* 1 ran successfully:")).toList();
      List<ChildJvm> found = List.of(a, b).stream().filter(c -> c.stdout().contains("* 1 complete already:")).toList();
      assertThat(ran).as(both).hasSize(1);
      assertThat(found).as(both).hasSize(1).doesNotContainAnyElementsOf(ran);
      assertThat(found.get(0).stdout()).as(both)
          .containsPattern("event COMPLETE SlowOnce\\(\\) completed (by another process while this run waited|meanwhile)")
          .doesNotContain("event STARTED");
    }
  }
}
